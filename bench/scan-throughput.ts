/**
 * Built-in scan throughput (issue 3): generates a large Terraform tree (deterministically) and
 * times the whole built-in pipeline on it, `loadTerraformDir` (parse + line ranges + suppressions,
 * following local modules) then `runRules`. Figures, not asserts. Target: under 3 s.
 *
 * Run alone with `npx tsx bench/scan-throughput.ts`; `bench/run.ts` calls it too.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTerraformDir } from '../src/tester/hcl/load.js';
import { runRules } from '../src/tester/rules/registry.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const SCAN_TREE = join(ROOT, 'bench', '.work', 'scan-tree');

/** Deterministic PRNG so every run scans the same tree. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Gen = (id: string, bad: boolean) => { text: string; resources: number };

/** Resource generators; `bad` makes the block fail at least one rule. Each returns HCL text. */
const GENERATORS: Gen[] = [
  // S3 bucket with its v4+ companion resources
  (id, bad) => ({
    resources: bad ? 4 : 5,
    text: `resource "aws_s3_bucket" "${id}" {
  bucket = "\${local.prefix}-${id.replace(/_/g, '-')}"

  tags = {
    Name = "${id}"
  }
}

resource "aws_s3_bucket_versioning" "${id}" {
  bucket = aws_s3_bucket.${id}.id

  versioning_configuration {
    status = "${bad ? 'Suspended' : 'Enabled'}"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "${id}" {
  bucket = aws_s3_bucket.${id}.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
${
  bad
    ? ''
    : `
resource "aws_s3_bucket_public_access_block" "${id}" {
  bucket = aws_s3_bucket.${id}.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`
}
resource "aws_s3_bucket_logging" "${id}" {
  bucket = aws_s3_bucket.${id}.id

  target_bucket = var.log_bucket
  target_prefix = "s3/${id}/"
}
`,
  }),
  // security group with inline rules
  (id, bad) => ({
    resources: 1,
    text: `resource "aws_security_group" "${id}" {
  name        = "\${local.prefix}-${id}"
  description = "Service ${id}"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  ingress {
    description = "Admin"
    from_port   = ${bad ? 22 : 8443}
    to_port     = ${bad ? 22 : 8443}
    protocol    = "tcp"
    cidr_blocks = ["${bad ? '0.0.0.0/0' : '10.10.0.0/16'}"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
  }),
  // standalone SG rule
  (id, bad) => ({
    resources: 1,
    text: `resource "aws_vpc_security_group_ingress_rule" "${id}" {
  security_group_id = var.security_group_id
  cidr_ipv4         = "${bad ? '0.0.0.0/0' : '172.16.0.0/12'}"
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
}
`,
  }),
  // RDS instance
  (id, bad) => ({
    resources: 1,
    text: `resource "aws_db_instance" "${id}" {
  identifier              = "\${local.prefix}-${id.replace(/_/g, '-')}"
  engine                  = "postgres"
  instance_class          = "db.t3.medium"
  allocated_storage       = 50
  storage_encrypted       = ${bad ? 'false' : 'true'}
  username                = "app"
  password                = var.db_password
  publicly_accessible     = false
  multi_az                = true
  backup_retention_period = ${bad ? 0 : 7}
  deletion_protection     = true

  iam_database_authentication_enabled = true
}
`,
  }),
  // IAM policy (jsonencode)
  (id, bad) => ({
    resources: 1,
    text: `resource "aws_iam_policy" "${id}" {
  name = "\${local.prefix}-${id}"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ${bad ? '"*"' : '["s3:GetObject", "s3:PutObject"]'}
        Resource = ${bad ? '"*"' : `"arn:aws:s3:::${id.replace(/_/g, '-')}/*"`}
      },
    ]
  })
}
`,
  }),
  // EBS volume
  (id, bad) => ({
    resources: 1,
    text: `resource "aws_ebs_volume" "${id}" {
  availability_zone = var.az
  size              = 100
  type              = "gp3"
  encrypted         = ${bad ? 'false' : 'true'}
}
`,
  }),
  // KMS key
  (id, bad) => ({
    resources: 1,
    text: `resource "aws_kms_key" "${id}" {
  description             = "Key for ${id}"
  deletion_window_in_days = 30
  enable_key_rotation     = ${bad ? 'false' : 'true'}
}
`,
  }),
  // launch template + instance
  (id, bad) => ({
    resources: 2,
    text: `resource "aws_launch_template" "${id}" {
  name_prefix   = "\${local.prefix}-${id}-"
  image_id      = var.ami_id
  instance_type = "t3.small"
${
  bad
    ? ''
    : `
  metadata_options {
    http_tokens = "required"
  }
`
}}

resource "aws_instance" "${id}" {
  ami           = var.ami_id
  instance_type = "t3.micro"

  metadata_options {
    http_tokens = "${bad ? 'optional' : 'required'}"
  }

  root_block_device {
    encrypted = true
  }
}
`,
  }),
  // DynamoDB + SQS + SNS
  (id, bad) => ({
    resources: 3,
    text: `resource "aws_dynamodb_table" "${id}" {
  name         = "\${local.prefix}-${id}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = ${bad ? 'false' : 'true'}
  }
}

resource "aws_sqs_queue" "${id}" {
  name                    = "\${local.prefix}-${id}"
  sqs_managed_sse_enabled = ${bad ? 'false' : 'true'}
}

resource "aws_sns_topic" "${id}" {
${bad ? `  name = "\${local.prefix}-${id}"\n` : `  name              = "\${local.prefix}-${id}"\n  kms_master_key_id = "alias/aws/sns"\n`}}
`,
  }),
  // load balancer + listener
  (id, bad) => ({
    resources: 2,
    text: `resource "aws_lb" "${id}" {
  name                       = "${id.replace(/_/g, '-').slice(0, 32)}"
  load_balancer_type         = "application"
  subnets                    = var.subnet_ids
  drop_invalid_header_fields = true
}

resource "aws_lb_listener" "${id}" {
  load_balancer_arn = aws_lb.${id}.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
${bad ? '    type             = "forward"\n    target_group_arn = var.target_group_arn\n' : `    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
`}  }
}
`,
  }),
  // ECR repository (suppressed when bad, to exercise suppression parsing)
  (id, bad) => ({
    resources: 1,
    text: `${bad ? '#infra-ops:skip=IO_AWS_ECR_IMMUTABLE_TAGS tags are moved by the release job\n' : ''}resource "aws_ecr_repository" "${id}" {
  name                 = "${id}"
  image_tag_mutability = "${bad ? 'MUTABLE' : 'IMMUTABLE'}"

  image_scanning_configuration {
    scan_on_push = true
  }
}
`,
  }),
];

export interface GeneratedTree {
  dir: string;
  files: number;
  resources: number;
}

/**
 * Writes `modules` local modules of `filesPerModule` files each (plus a root `main.tf` calling
 * them) under `dir`, replacing what is there. Same seed, same tree.
 */
export function generateScanTree(dir = SCAN_TREE, modules = 20, filesPerModule = 11, seed = 3): GeneratedTree {
  const rand = mulberry32(seed);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let files = 0;
  let resources = 0;
  const calls: string[] = [];
  for (let m = 0; m < modules; m++) {
    const mod = `svc${String(m + 1).padStart(2, '0')}`;
    const mdir = join(dir, 'modules', mod);
    mkdirSync(mdir, { recursive: true });
    calls.push(`module "${mod}" {\n  source = "./modules/${mod}"\n\n  vpc_id      = var.vpc_id\n  db_password = var.db_password\n}\n`);
    writeFileSync(
      join(mdir, 'variables.tf'),
      ['vpc_id', 'security_group_id', 'log_bucket', 'az', 'ami_id', 'target_group_arn']
        .map((v) => `variable "${v}" {\n  type    = string\n  default = "${v}-placeholder"\n}\n`)
        .concat(['variable "db_password" {\n  type      = string\n  sensitive = true\n}\n', 'variable "subnet_ids" {\n  type    = list(string)\n  default = []\n}\n'])
        .join('\n') + `\nlocals {\n  prefix = "bench-${mod}"\n}\n`,
    );
    files++;
    for (let f = 1; f < filesPerModule; f++) {
      const parts: string[] = [];
      // about 10 resources per file, a mix of kinds, roughly one in four failing something
      let n = 0;
      let k = 0;
      while (n < 10) {
        const gen = GENERATORS[Math.floor(rand() * GENERATORS.length)]!;
        const out = gen(`r${f}_${k++}`, rand() < 0.25);
        parts.push(out.text);
        n += out.resources;
      }
      writeFileSync(join(mdir, `part${String(f).padStart(2, '0')}.tf`), parts.join('\n'));
      resources += n;
      files++;
    }
  }
  writeFileSync(
    join(dir, 'main.tf'),
    `variable "vpc_id" {\n  type = string\n}\n\nvariable "db_password" {\n  type      = string\n  sensitive = true\n}\n\n${calls.join('\n')}`,
  );
  files++;
  return { dir, files, resources };
}

export interface RunTiming {
  /** Seconds for load + rules. */
  total: number;
  load: number;
  rules: number;
}

export interface ScanThroughput {
  files: number;
  resources: number;
  findings: number;
  suppressed: number;
  problems: number;
  /** Each in a fresh process: includes compiling and starting the WASM parser, as one CLI run does. */
  cold: RunTiming[];
  /** Repeated in one process after a warm-up run: the parser's code is optimised by then. */
  warm: RunTiming[];
}

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

interface OneRun extends RunTiming {
  files: number;
  resources: number;
  findings: number;
  suppressed: number;
  problems: number;
}

/** One whole pipeline run: load the tree, run every built-in rule. */
export async function scanOnce(dir = SCAN_TREE): Promise<OneRun> {
  const t0 = process.hrtime.bigint();
  const loaded = await loadTerraformDir(dir);
  const load = seconds(t0);
  const t1 = process.hrtime.bigint();
  const findings = runRules(loaded.resources, undefined, loaded.data);
  const rules = seconds(t1);
  return {
    total: seconds(t0),
    load,
    rules,
    files: new Set(loaded.resources.map((r) => r.file)).size,
    resources: loaded.resources.length,
    findings: findings.length,
    suppressed: findings.filter((f) => f.suppressed).length,
    problems: loaded.problems.length,
  };
}

const COLD_FLAG = '--cold-once';

/** Runs `scanOnce` in a fresh node process (this file under tsx) and returns its timing. */
function coldRun(dir: string): OneRun {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, COLD_FLAG, dir], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cold scan run exited ${r.status}: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as OneRun;
}

export async function measureScanThroughput(dir = SCAN_TREE, runs = 3): Promise<ScanThroughput> {
  const cold = Array.from({ length: runs }, () => coldRun(dir));
  await scanOnce(dir); // warm-up
  const warm: OneRun[] = [];
  for (let i = 0; i < runs; i++) warm.push(await scanOnce(dir));
  const last = warm[warm.length - 1]!;
  const timing = ({ total, load, rules }: OneRun): RunTiming => ({ total, load, rules });
  return {
    files: last.files,
    resources: last.resources,
    findings: last.findings,
    suppressed: last.suppressed,
    problems: last.problems,
    cold: cold.map(timing),
    warm: warm.map(timing),
  };
}

function median(xs: RunTiming[]): RunTiming {
  return [...xs].sort((a, b) => a.total - b.total)[Math.floor(xs.length / 2)]!;
}

/** Generates the tree, measures, prints one line per figure. */
export async function runScanThroughputBench(log: (line: string) => void = console.log): Promise<ScanThroughput> {
  const tree = generateScanTree();
  const r = await measureScanThroughput(tree.dir);
  const fmt = (s: number) => `${s.toFixed(2)} s`;
  log(
    `scan       tree: ${tree.files} files (${r.files} with resources), ${r.resources.toLocaleString('en')} resources; ` +
      `${r.findings} findings (${r.suppressed} suppressed), ${r.problems} parse problems`,
  );
  for (const [label, runs] of [
    ['cold (fresh process, as one CLI run)', r.cold],
    ['warm (same process, parser optimised)', r.warm],
  ] as const) {
    const med = median(runs);
    const min = Math.min(...runs.map((x) => x.total));
    log(
      `scan       ${label}: load + rules median ${fmt(med.total)}, min ${fmt(min)}` +
        `${runs === r.cold ? ' (target < 3 s)' : ''}; median split load ${fmt(med.load)} / rules ${fmt(med.rules)}; ` +
        `${Math.round(tree.files / med.total).toLocaleString('en')} files/s, ${Math.round(r.resources / med.total).toLocaleString('en')} resources/s`,
    );
  }
  return r;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf(COLD_FLAG);
  if (i !== -1) console.log(JSON.stringify(await scanOnce(process.argv[i + 1] ?? SCAN_TREE)));
  else await runScanThroughputBench();
}

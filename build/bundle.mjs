// Builds the self-contained CLI the plugin ships: scripts/infra-ops.mjs plus lazily loaded chunks in
// scripts/lib/. No node_modules at run time; deterministic, so a test can rebuild and compare.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function bundle(outdir = join(root, 'scripts')) {
  await rm(join(outdir, 'lib'), { recursive: true, force: true });
  await rm(join(outdir, 'infra-ops.mjs'), { force: true });
  await rm(join(outdir, 'knowledge-base.json'), { force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { 'infra-ops': 'src/cli/bin.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'lib/[name]-[hash]',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import{createRequire as __infraOpsCreateRequire}from'node:module';const require=__infraOpsCreateRequire(import.meta.url);" },
  });
  await compileKnowledgeBase(join(outdir, 'knowledge-base.json'));
  await vendorHclParser(join(outdir, 'vendor', 'hcl2json'));
}

// The HCL parser is a Go WebAssembly module; it ships beside the bundle, unmodified, with its notice.
async function vendorHclParser(dest) {
  const pkgJson = createRequire(import.meta.url).resolve('@cdktf/hcl2json/package.json');
  const pkg = JSON.parse(await readFile(pkgJson, 'utf8'));
  await rm(dest, { recursive: true, force: true });
  await mkdir(dest, { recursive: true });
  await copyFile(join(dirname(pkgJson), 'main.wasm.gz'), join(dest, 'main.wasm.gz'));
  await writeFile(
    join(dest, 'NOTICE.md'),
    [
      `# Third-party: ${pkg.name} ${pkg.version}`,
      '',
      '`main.wasm.gz` is copied unmodified from the npm package',
      `\`${pkg.name}@${pkg.version}\` (HashiCorp, ${pkg.license}; source: https://github.com/hashicorp/terraform-cdk).`,
      'It is a WebAssembly build of HashiCorp\'s HCL parser. The Go WebAssembly runtime shim',
      '(`wasm_exec.js`, Copyright The Go Authors, BSD-3-Clause) from the same package is bundled into',
      '`scripts/lib/`.',
      '',
    ].join('\n'),
  );
}

// The knowledge base ships pre-validated and pre-normalized, so `debug` parses no YAML at run time.
async function compileKnowledgeBase(out) {
  const tmp = await mkdtemp(join(tmpdir(), 'infra-ops-kb-'));
  const script = join(tmp, 'compile-kb.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['build/compile-kb.ts'],
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    outfile: script,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  try {
    execFileSync(process.execPath, [script, join(root, 'templates', 'knowledge-base'), out], { cwd: root, stdio: 'inherit' });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outArg = process.argv.indexOf('--outdir');
  await bundle(outArg > 0 ? resolve(process.argv[outArg + 1]) : undefined);
}

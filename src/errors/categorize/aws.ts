import { CODE_TOKEN, firstCapture, firstResolved, type Resolver } from './shared.js';

/** Signals that an AWS API (CLI, SDK v1/v2, CloudFormation) produced or is quoted in the text. */
export const AWS_SIGNAL =
  /\bAWS\b|amazonaws\.com|aws-sdk|botocore|\bS3\b|\bEC2\b|\bIAM\b|\bSTS\b|\bsts:[A-Z]|DynamoDB|CloudFormation|\bEKS\b|arn:aws:|status code: \d{3}, request\b|\bRequestI[Dd]: |\bapi error [A-Z]|An error occurred \(|A (?:client|server) error \(|operation error [A-Z]|Encoded authorization failure|HandlerErrorCode|aws-error-code|\baws_[a-z]|\bAmazon[A-Z ]|\btoken from sso\b|\bSSO (?:OIDC|token|session)\b|\bboto\b|\b[A-Z0-9]{2,}ResponseError\b|"__type"\s*:|"errorCode"\s*:\s*"(?:Client|Server)\.|\b(?:SignatureDoesNotMatch|InvalidSignatureException|InvalidClientTokenId|UnrecognizedClientException|InvalidAccessKeyId)\b/;

export function detectAws(t: string): boolean {
  return AWS_SIGNAL.test(t);
}

// Shapes in which AWS writes its error code, most explicit first.
const EXPLICIT_CODE_PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`\bapi error (${CODE_TOKEN}):`), // SDK v2
  /An error occurred \(([A-Za-z0-9.]{2,80})\)/, // CLI / boto, may be a bare HTTP status
  new RegExp(String.raw`\bA (?:client|server) error \((${CODE_TOKEN})\) occurred`), // CLI before 1.4
  new RegExp(
    String.raw`https response error StatusCode: \d{1,3}, RequestID: [^,\s]{0,80},(?: HostID: [^,\s]{0,200},)? (${CODE_TOKEN})(?::|\s|$)`,
  ), // SDK v2 without "api error"
  new RegExp(String.raw`<Code>(${CODE_TOKEN})</Code>`), // raw XML error body
  new RegExp(String.raw`\b(?:AWS |S3 )?Error Code: (${CODE_TOKEN})`), // Java SDK / CloudFormation inner message
  new RegExp(String.raw`\bfleet error\(s\), (${CODE_TOKEN}):`), // EC2 CreateFleet errors (Karpenter)
  new RegExp(String.raw`[{(,\s]Code: (${CODE_TOKEN})[,;}\s]`), // eksctl/EKS issue structs
  new RegExp(String.raw`\bHandlerErrorCode: (${CODE_TOKEN})`), // CloudFormation handler code
  new RegExp(String.raw`"__type"\s*:\s*"(?:[\w.]{1,100}#)?(${CODE_TOKEN})"`), // JSON-protocol error body
  new RegExp(String.raw`"(?:errorCode|code)"\s*:\s*"(${CODE_TOKEN})"`), // CloudTrail record / logged SDK error object
  new RegExp(String.raw`\bcode: '(${CODE_TOKEN})'`), // JS SDK v2 error printed by console.log
  new RegExp(String.raw`\bError \[(${CODE_TOKEN})\]:`), // JS SDK v3 error printed by Node's inspector
];

// Words shaped like codes that are field names in SDK dumps, not error codes.
const NOT_CODES = new Set([
  'StatusCode', 'RequestID', 'RequestId', 'HostID', 'HostId', 'RespMetadata', 'ErrorCode',
  'HandlerErrorCode', 'RequestToken', 'ResourceIds', 'ClusterName', 'ErrStatus', 'TypeMeta',
  'ListMeta', 'ExtendedRequestId', 'ResourceId', 'LockInfo',
]);

// Single-hump codes cannot be told from ordinary words, so only known ones are accepted.
const SINGLE_WORD_CODES = new Set(['Throttling']);

// SDK v1 style: "<Code>: <message>"; token must start a word, not follow "sts:" or a path.
const HEURISTIC_CODE = new RegExp(String.raw`(?<![\w.:/-])(${CODE_TOKEN}):\s(?![{\[])`, 'g');

/** The AWS API error code written in the text, or null. */
export function extractAwsCode(t: string): string | null {
  const explicit = firstCapture(t, EXPLICIT_CODE_PATTERNS);
  if (explicit) return explicit;
  // SDK v1 wraps errors ("WebIdentityErr: …\ncaused by: AccessDenied: …"); the innermost cause is the API's code.
  let first: string | null = null;
  let cause: string | null = null;
  for (const m of t.matchAll(HEURISTIC_CODE)) {
    const token = m[1] ?? '';
    if (NOT_CODES.has(token)) continue;
    if (!(/[a-z0-9][A-Z]/.test(token) || SINGLE_WORD_CODES.has(token))) continue;
    first ??= token;
    if (/caused by: $/.test(t.slice(Math.max(0, (m.index ?? 0) - 11), m.index ?? 0))) cause = token;
  }
  return cause ?? first;
}

// API operation name → service, matched on the noun the operation acts on.
const OPERATION_SERVICE: readonly [RegExp, string][] = [
  [/AssumeRole|GetCallerIdentity|GetSessionToken|DecodeAuthorizationMessage|GetFederationToken/, 'sts'],
  [/DB(?:Instance|Cluster|Snapshot|SubnetGroup|ParameterGroup)/, 'rds'],
  [/Stack|ChangeSet/, 'cloudformation'],
  [/Bucket|Object|MultipartUpload/, 's3'],
  [/Queue|Message/, 'sqs'],
  [/Instance(?!Profile)|Vpc|Subnet|SecurityGroup|Volume|Snapshot|Image|KeyPair|Address|NetworkInterface|RouteTable|InternetGateway|NatGateway|LaunchTemplate|Fleet|AvailabilityZone|Regions/, 'ec2'],
  [/Role|Policy|User|Group|InstanceProfile|AccessKey|ServerCertificate|OpenIDConnect/, 'iam'],
  [/Nodegroup|Cluster|Addon|FargateProfile/, 'eks'],
  [/Function|Invoke|Layer|EventSourceMapping/, 'lambda'],
  [/Parameter/, 'ssm'],
  [/Table|Item/, 'dynamodb'],
  [/LoadBalancer|TargetGroup|Listener/, 'elasticloadbalancing'],
  [/Encrypt|Decrypt|GenerateDataKey|Alias|Key$/, 'kms'],
  [/Secret/, 'secretsmanager'],
  [/Repository|AuthorizationToken/, 'ecr'],
  [/HostedZone|ResourceRecordSet/, 'route53'],
];

export function serviceForOperation(op: string): string | null {
  for (const [re, svc] of OPERATION_SERVICE) if (re.test(op)) return svc;
  return null;
}

const REGION_LABEL = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * Service from an endpoint host: the label before the region (`x.s3.eu-west-1`, `1.dkr.ecr.us-east-1`),
 * `s3` for virtual-hosted buckets (`bucket.s3.amazonaws.com`), else the first label (`sts.amazonaws.com`).
 */
function serviceFromHost(prefix: string): string | null {
  const labels = prefix.split('.').filter(Boolean);
  const region = labels.findIndex((l) => REGION_LABEL.test(l));
  if (region > 0) return labels[region - 1] ?? null;
  if (labels.some((l) => l === 's3' || l.startsWith('s3-'))) return 's3';
  return labels[0] ?? null;
}

const lower = (s: string | undefined): string | null => (s ? s.replace(/\s+/g, '').toLowerCase() : null);

// Where the AWS service is named, most direct first.
const SERVICE_RESOLVERS: readonly Resolver[] = [
  // A credential chain that fails inside STS is about identity, whichever call needed the credentials.
  {
    re: /\boperation error STS: [A-Z][^\n]{0,600}?(?:get credentials|retrieve credentials|refresh cached credentials)|(?:get credentials|retrieve credentials|refresh cached credentials)[^\n]{0,600}?operation error STS: [A-Z]/,
    map: () => 'sts',
  },
  // Service names may be several words with a version ("Elastic Load Balancing v2", "Route 53").
  { re: /\boperation error ([A-Z][A-Za-z0-9]*(?: [A-Za-z0-9]+){0,4}): [A-Z]/, map: (m) => lower(m[1]?.replace(/ v\d+$/, '')) },
  { re: /\bcalling the ([A-Z][A-Za-z0-9]+) operation/, map: (m) => serviceForOperation(m[1] ?? '') },
  { re: /\b(?:error calling|perform:?) ([a-z0-9-]+):[A-Z]/, map: (m) => m[1] ?? null },
  { re: /\bfrom ([a-z0-9]+)\/[A-Z][A-Za-z]+ - will retry/, map: (m) => m[1] ?? null },
  { re: /\(Service: (?:Amazon|AWS)?\s?([A-Za-z0-9]+)[;,]/, map: (m) => (m[1] === 'null' ? null : lower(m[1])) },
  { re: /\bAWS Service: (?:Amazon |AWS )?([A-Za-z0-9]+)/, map: (m) => lower(m[1]) },
  { re: /\bAWS::([A-Za-z0-9]+)::/, map: (m) => lower(m[1]) },
  { re: /\baws-service-name=([A-Za-z0-9]+)/, map: (m) => lower(m[1]) },
  { re: /\b((?:[a-z0-9-]{1,63}\.){1,6})amazonaws\.com\b/, map: (m) => serviceFromHost(m[1] ?? '') },
  { re: /@aws-sdk\/client-([a-z0-9-]+)/, map: (m) => (m[1] ? m[1].replace(/-/g, '') : null) }, // JS SDK v3 package
  { re: /\b([A-Z0-9]{2,})ResponseError\b/, map: (m) => lower(m[1]) }, // boto 2: EC2ResponseError
];

/** Lowercase AWS service the message is about (`s3`, `ec2`, `sts`…), or null. */
export function awsService(t: string): string | null {
  return firstResolved(t, SERVICE_RESOLVERS);
}

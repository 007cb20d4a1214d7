import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issueIdFor } from '../../src/errors/issue-id.js';
import {
  MAX_PATTERN_CHARS,
  NORMALIZER_RULES,
  NORMALIZER_VERSION,
  createRuleContext,
  normalizeError,
  normalizeOnce,
} from '../../src/errors/normalize.js';

const n = normalizeError;

// Real-format messages, as the tools print them.
const SDK_S3 = (op: string, rid: string, host: string): string =>
  `operation error S3: ${op}, https response error StatusCode: 403, RequestID: ${rid}, HostID: ${host}, api error AccessDenied: Access Denied`;
const CLI_UNAUTHORIZED = (account: string, user: string, action: string, encoded: string): string =>
  `An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. User: arn:aws:iam::${account}:user/${user} is not authorized to perform: ${action} on resource: arn:aws:ec2:us-east-1:${account}:instance/* because no identity-based policy allows the ${action} action. Encoded authorization failure message: ${encoded}`;
const TF_EC2 = (rid: string, value: string, name: string, file: string, line: number): string =>
  [
    '╷',
    `│ Error: creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: ${rid}, api error InvalidParameterValue: Value (${value}) for parameter instanceType is invalid.`,
    '│ ',
    `│   with aws_instance.${name},`,
    `│   on ${file} line ${line}, in resource "aws_instance" "${name}":`,
    `│   ${line}: resource "aws_instance" "${name}" {`,
    '│ ',
    '╵',
  ].join('\n');
const K8S_FORBIDDEN = (ns: string, sa: string, target: string, verb = 'list', resource = 'pods'): string =>
  `Error from server (Forbidden): ${resource} is forbidden: User "system:serviceaccount:${ns}:${sa}" cannot ${verb} resource "${resource}" in API group "" in the namespace "${target}"`;
const GCP_QUOTA = (quota: string, limit: string, region: string): string =>
  `googleapi: Error 403: Quota '${quota}' exceeded.  Limit: ${limit} in region ${region}., quotaExceeded`;
const AZURE_AUTHZ = (client: string, sub: string, rg: string, action = 'write'): string =>
  `Code="AuthorizationFailed" Message="The client '${client}' with object id '${client}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/${action}' over scope '/subscriptions/${sub}/resourcegroups/${rg}' or the scope is invalid. If access was recently granted, please refresh your credentials."`;
const EKSCTL_NOT_FOUND = (cluster: string, rid: string): string =>
  `Error: unable to describe cluster control plane: operation error EKS: DescribeCluster, https response error StatusCode: 404, RequestID: ${rid}, ResourceNotFoundException: No cluster found for name: ${cluster}.`;
const KARPENTER = (pod: string, pool: string, ts: string): string =>
  `{"level":"ERROR","time":"${ts}","logger":"controller","message":"could not schedule pod","controller":"provisioner","Pod":{"name":"${pod}","namespace":"default"},"error":"incompatible with nodepool \\"${pool}\\", daemonset overhead={\\"cpu\\":\\"150m\\",\\"memory\\":\\"128Mi\\"}, incompatible requirements, key karpenter.sh/nodepool, karpenter.sh/nodepool In [${pool}] not in karpenter.sh/nodepool In [gpu]"}`;
const HELM_OWNERSHIP = (sa: string, ns: string, release: string): string =>
  `Error: INSTALLATION FAILED: Unable to continue with install: ServiceAccount "${sa}" in namespace "${ns}" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"; annotation validation error: missing key "meta.helm.sh/release-name": must be set to "${release}"`;

describe('normalizeError: one test per variable class', () => {
  it('masks ARNs and account ids, keeps the IAM action', () => {
    const p = n(CLI_UNAUTHORIZED('123456789012', 'bob', 'ec2:RunInstances', 'AbCd1234EfGh5678IjKl9012'));
    expect(p).toContain('user: <arn> is not authorized to perform: ec2:runinstances on resource: <arn>');
    expect(p).not.toMatch(/123456789012|bob/);
    expect(n('Account 123456789012 is not subscribed')).toBe('account <account-id> is not subscribed');
  });

  it('masks request ids and host ids, keeps the operation and status code', () => {
    expect(n(SDK_S3('PutObject', '2Y8PJ1WH6M3G3QJD', 'Zr8Pu0Lu3bPf+4aWq6Ksv2K/2pQf3y9X0jW3S1x8Nl4='))).toBe(
      'operation error s3: putobject, https response error statuscode: 403, requestid: <request-id>, hostid: <host-id>, api error accessdenied: access denied',
    );
    expect(n('(Service: AmazonS3; Status Code: 403; Error Code: AccessDenied; Request ID: ABCDEF123; S3 Extended Request ID: x+y/z=)')).toBe(
      '(service: amazons3; status code: 403; error code: accessdenied; request id: <request-id>; s3 extended request id: <request-id>)',
    );
  });

  it('masks the encoded authorization failure message', () => {
    expect(n(CLI_UNAUTHORIZED('123456789012', 'bob', 'ec2:RunInstances', '4bC9ZmVvSk1tbHhMZk9yT0Zh-xYz_12'))).toMatch(
      /encoded authorization failure message: <encoded-message>$/,
    );
  });

  it('masks UUIDs', () => {
    expect(n('Lock Info: ID: 0b1f6471-1bf0-4dda-aec3-111122223333')).toBe('lock info: id: <uuid>');
  });

  it('masks ISO, RFC 1123, slash-dated, klog and epoch timestamps', () => {
    expect(n('2024-01-02T15:04:05.123Z failed')).toBe('<timestamp> failed');
    expect(n('Created: 2024-01-02 15:04:05.123456789 +0000 UTC')).toBe('created: <timestamp>');
    expect(n('Date: Mon, 02 Jan 2006 15:04:05 GMT')).toBe('date: <timestamp>');
    expect(n('2024/01/02 15:04:05 [ERROR] plugin exited')).toBe('<timestamp> [error] plugin exited');
    expect(n('E0102 15:04:05.123456   12345 reflector.go:138] Failed to watch')).toBe('<timestamp> <num> <path>] failed to watch');
    expect(n('token expired at 1704067200')).toBe('token expired at <timestamp>');
  });

  it('masks IPv4 and IPv6 addresses with ports and CIDRs', () => {
    expect(n('dial tcp 10.0.12.34:443: i/o timeout')).toBe('dial tcp <ip>: i/o timeout');
    expect(n('dial tcp [2001:db8::1]:443: connect: connection refused')).toBe('dial tcp <ip>: connect: connection refused');
    expect(n('address fe80::1ff:fe23:4567:890a unreachable')).toBe('address <ip> unreachable');
    expect(n("The CIDR '10.0.0.0/16' conflicts with another subnet")).toBe("the cidr '<cidr>' conflicts with another subnet");
  });

  it('masks hostnames and URLs, keeps well-known endpoints and localhost:8080', () => {
    expect(n('Get "https://ABCDEF0123456789.gr7.us-east-1.eks.amazonaws.com/api?timeout=32s": dial tcp: lookup db.internal.example.com: no such host')).toBe(
      'get "<url>": dial tcp: lookup <host>: no such host',
    );
    expect(n('dial tcp: lookup sts.us-west-2.amazonaws.com: no such host')).toBe('dial tcp: lookup sts.<region>.amazonaws.com: no such host');
    expect(n('The connection to the server localhost:8080 was refused - did you specify the right host or port?')).toBe(
      'the connection to the server localhost:8080 was refused - did you specify the right host or port?',
    );
    expect(n('x509: certificate is valid for a.example.com, not b.example.org')).toBe('x509: certificate is valid for <host>, not <host>');
  });

  it('masks AWS resource ids but keeps their type prefix', () => {
    expect(n('The security group sg-0123456789abcdef0 does not exist in VPC vpc-12345678 (subnet subnet-0abc1234, i-0123456789abcdef0, ami-0abcdef1234567890, vol-01234567, eni-0a1b2c3d, igw-0a1b2c3d, nat-0a1b2c3d4e5f6a7b8, rtb-0a1b2c3d, acl-0a1b2c3d, snap-0a1b2c3d, eipalloc-0a1b2c3d, lt-0a1b2c3d4e5f6a7b8)')).toBe(
      'the security group sg-<id> does not exist in vpc vpc-<id> (subnet subnet-<id>, i-<id>, ami-<id>, vol-<id>, eni-<id>, igw-<id>, nat-<id>, rtb-<id>, acl-<id>, snap-<id>, eipalloc-<id>, lt-<id>)',
    );
  });

  it('masks GCP path values and keeps the collection words', () => {
    expect(n("Error: The resource 'projects/my-proj-123/zones/us-central1-a/instances/vm-1' already exists, alreadyExists")).toBe(
      "error: the resource 'projects/<name>/zones/<zone>/instances/<name>' already exists, alreadyexists",
    );
    expect(n('projects/p1/global/networks/default is not ready')).toBe('projects/<name>/global/networks/<name> is not ready');
  });

  it('masks Azure id values and keeps provider namespace and type', () => {
    expect(n('Resource /subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-web-01 not found')).toBe(
      'resource /subscriptions/<uuid>/resourcegroups/<name>/providers/microsoft.compute/virtualmachines/<name> not found',
    );
    expect(n(AZURE_AUTHZ('0b1f6471-1bf0-4dda-aec3-111122223333', '0b1f6471-1bf0-4dda-aec3-444455556666', 'my-rg'))).toContain(
      "perform action 'microsoft.resources/subscriptions/resourcegroups/write' over scope '/subscriptions/<uuid>/resourcegroups/<name>'",
    );
  });

  it('masks bucket and resource names in quotes and parentheses, keeps quota names', () => {
    expect(n('Error: creating S3 Bucket (my-logs-2024): BucketAlreadyExists')).toBe('error: creating s3 bucket (<name>): bucketalreadyexists');
    expect(n('Error: deleting S3 Bucket "tf-state-prod": BucketNotEmpty')).toBe('error: deleting s3 bucket "<name>": bucketnotempty');
    expect(n(GCP_QUOTA('C2_CPUS', '24.0', 'us-central1'))).toBe(
      "googleapi: error 403: quota 'C2_CPUS' exceeded. limit: <num> in region <region>., quotaexceeded",
    );
    // A name masked in quotes is masked where it recurs bare.
    expect(n('Error: creating IAM Role (eks-cluster-role): EntityAlreadyExists: Role with name eks-cluster-role already exists.')).toBe(
      'error: creating iam role (<name>): entityalreadyexists: role with name <name> already exists.',
    );
  });

  it('masks Terraform resource and module names, keeps types, files and lines', () => {
    expect(n(TF_EC2('8e2b1c3d-1111-2222-3333-444455556666', 't2.micr', 'web', 'main.tf', 12))).toBe(
      'error: creating ec2 instance: operation error ec2: runinstances, https response error statuscode: 400, requestid: <request-id>, api error invalidparametervalue: value (<name>) for parameter instancetype is invalid. with aws_instance.<name>, on <path> line <num>, in resource "aws_instance" "<name>":',
    );
    expect(n('with module.web.aws_lb.this["blue"], and data.aws_ami.ubuntu, var.region, module.vpc.vpc_id')).toBe(
      'with module.<name>.aws_lb.<name>, and data.aws_ami.<name>, var.<name>, module.<name>.vpc_id',
    );
  });

  it('masks file paths with line and column ranges', () => {
    expect(n('Error: /home/alice/infra/main.tf:12,3-9: Unsupported argument')).toBe('error: <path>: unsupported argument');
    expect(n('Error: Invalid value at C:\\work\\infra\\vars.tfvars and ./modules/vpc/main.tf')).toBe('error: invalid value at <path> and <path>');
  });

  it('masks Kubernetes generated object names', () => {
    expect(n('Back-off restarting failed container app in pod api-7f9c8d7b5c-xk2p9')).toBe('back-off restarting failed container app in pod <name>');
    expect(n('node ip-10-0-1-23 and node gke-prod-default-pool-1a2b3c4d-xk2p are NotReady')).toBe('node <host> and node <name> are notready');
    expect(n('error: deployment "web" exceeded its progress deadline')).toBe('error: deployment "<name>" exceeded its progress deadline');
  });

  it('masks numbers that vary, keeps HTTP status and exit codes', () => {
    expect(n('0/3 nodes are available: 3 Insufficient cpu, 2 node(s) had untolerated taint')).toBe(
      '<num>/<num> nodes are available: <num> insufficient cpu, <num> node(s) had untolerated taint',
    );
    expect(n('failed after 30s with 512Mi; terraform v1.5.7')).toBe('failed after <num> with <num>; terraform <version>');
    expect(n('command terminated with exit code 137')).toBe('command terminated with exit code 137');
    expect(n('unexpected response 502 Bad Gateway')).toBe('unexpected response 502 bad gateway');
  });

  it('masks regions, zones and instance types', () => {
    expect(n('We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a).')).toBe(
      'we currently do not have sufficient <instance-type> capacity in the availability zone you requested (<zone>).',
    );
    expect(n('machine type n2-standard-8 is not available in europe-west4-b')).toBe('machine type <instance-type> is not available in <zone>');
  });

  it('masks e-mail addresses and Kubernetes service-account users', () => {
    expect(n('Permission denied for deployer@my-proj.iam.gserviceaccount.com')).toBe('permission denied for <email>');
    expect(n(K8S_FORBIDDEN('ci', 'deployer', 'prod'))).toBe(
      'error from server (Forbidden): pods is forbidden: user "system:serviceaccount:<name>:<name>" cannot list resource "pods" in api group "" in the namespace "<name>"',
    );
  });

  it('handles Azure, eksctl, Karpenter and Helm messages', () => {
    expect(n(EKSCTL_NOT_FOUND('prod-eks', '5c8e2b1c-aaaa-bbbb-cccc-ddddeeeeffff'))).toBe(
      'error: unable to describe cluster control plane: operation error eks: describecluster, https response error statuscode: 404, requestid: <request-id>, resourcenotfoundexception: no cluster found for name: <name>.',
    );
    const k = n(KARPENTER('api-7f9c8d7b5c-xk2p9', 'default', '2024-01-02T15:04:05.123Z'));
    expect(k).toContain('incompatible with nodepool \\"<name>\\"');
    expect(k).toContain('karpenter.sh/nodepool in [<values>]');
    expect(n(HELM_OWNERSHIP('my-sa', 'default', 'my-release'))).toBe(
      'error: installation failed: unable to continue with install: serviceaccount "<name>" in namespace "<name>" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"; annotation validation error: missing key "meta.helm.sh/release-name": must be set to "<name>"',
    );
  });
});

describe('normalizeError: variants of one error share a pattern', () => {
  const tf = TF_EC2('8e2b1c3d-1111-2222-3333-444455556666', 't2.micr', 'web', 'main.tf', 12);
  const pairs: ReadonlyArray<readonly [string, string, string]> = [
    ['S3 SDK: other request and host ids', SDK_S3('PutObject', '2Y8PJ1WH6M3G3QJD', 'abc+DEF/ghi='), SDK_S3('PutObject', 'QWERTY1234567890', 'Zz9+Yy8/Xx7=')],
    [
      'AWS CLI: other account, user and encoded message',
      CLI_UNAUTHORIZED('123456789012', 'bob', 'ec2:RunInstances', '4bC9ZmVvSk1tbHhMZk9yT0Zh'),
      CLI_UNAUTHORIZED('210987654321', 'ci-deployer', 'ec2:RunInstances', 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5'),
    ],
    ['Terraform: other ids, names, file and line', tf, TF_EC2('0b1f6471-1bf0-4dda-aec3-111122223333', 't3.hug', 'api', 'ec2.tf', 40)],
    ['Terraform: without the gutter', tf, tf.replace(/^[╷╵]\n?/gm, '').replace(/^│ ?/gm, '')],
    ['Terraform: CRLF line endings', tf, tf.replace(/\n/g, '\r\n')],
    ['Terraform: ANSI colours', tf, tf.replace('Error:', '\x1b[31m\x1b[1mError:\x1b[0m').replace(/│/g, '\x1b[31m│\x1b[0m')],
    ['Terraform: rewrapped lines', tf, tf.replace('https response error StatusCode: 400,', 'https response error\n│ StatusCode: 400,')],
    ['kubectl: other service account and namespace', K8S_FORBIDDEN('ci', 'deployer', 'prod'), K8S_FORBIDDEN('kube-system', 'argo-cd', 'staging-2')],
    ['GCP quota: other limit and region', GCP_QUOTA('CPUS', '24.0', 'us-central1'), GCP_QUOTA('CPUS', '8.0', 'europe-west4')],
    [
      'Azure: other client, subscription and resource group',
      AZURE_AUTHZ('0b1f6471-1bf0-4dda-aec3-111122223333', '11111111-2222-3333-4444-555555555555', 'my-rg'),
      AZURE_AUTHZ('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', '99999999-8888-7777-6666-555555555555', 'rg-prod-eu'),
    ],
    ['eksctl: other cluster', EKSCTL_NOT_FOUND('prod-eks', '5c8e2b1c-aaaa-bbbb-cccc-ddddeeeeffff'), EKSCTL_NOT_FOUND('dev', '0b1f6471-1bf0-4dda-aec3-111122223333')],
    [
      'Karpenter: other pod, nodepool and time',
      KARPENTER('api-7f9c8d7b5c-xk2p9', 'default', '2024-01-02T15:04:05.123Z'),
      KARPENTER('worker-5d8f6c9b7-qz2wm', 'general-purpose', '2025-11-30T01:02:03.999Z'),
    ],
    ['Helm: other names', HELM_OWNERSHIP('my-sa', 'default', 'my-release'), HELM_OWNERSHIP('api-sa', 'payments', 'payments-v2')],
    ['network: other address and port', 'dial tcp 10.0.12.34:443: i/o timeout', 'dial tcp 172.16.0.9:8443: i/o timeout'],
    [
      'EC2: other security group and VPC',
      'InvalidGroup.NotFound: The security group \'sg-0123456789abcdef0\' does not exist in VPC \'vpc-12345678\'',
      'InvalidGroup.NotFound: The security group \'sg-0fedcba9876543210\' does not exist in VPC \'vpc-0abcdef1234567890\'',
    ],
    [
      'image pull: other image',
      'Failed to pull image "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1.2.3": rpc error: code = NotFound desc = failed to pull and unpack image "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1.2.3": not found',
      'Failed to pull image "nginx:1.25-alpine": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.25-alpine": not found',
    ],
    [
      'IAM: other role name',
      'Error: creating IAM Role (eks-cluster-role): EntityAlreadyExists: Role with name eks-cluster-role already exists.',
      'Error: creating IAM Role (AppRunnerECRAccessRole): EntityAlreadyExists: Role with name AppRunnerECRAccessRole already exists.',
    ],
    ['pod crash loop: other pod', 'Back-off restarting failed container app in pod api-7f9c8d7b5c-xk2p9', 'Back-off restarting failed container app in pod web-6d4cf56db6-2xw4l'],
    [
      'state lock: other lock id, path, user, time and version',
      'Error acquiring the state lock: ConditionalCheckFailedException: The conditional request failed Lock Info: ID: 0b1f6471-1bf0-4dda-aec3-111122223333 Path: tf-state-prod/env/prod/terraform.tfstate Operation: OperationTypeApply Who: alice@laptop Version: 1.5.7 Created: 2024-01-02 15:04:05.123456 +0000 UTC',
      'Error acquiring the state lock: ConditionalCheckFailedException: The conditional request failed Lock Info: ID: 9a8b7c6d-1bf0-4dda-aec3-999988887777 Path: state-bucket/dev/terraform.tfstate Operation: OperationTypeApply Who: runner@ip-10-0-1-5 Version: 1.9.0 Created: 2025-06-30 01:02:03.9 +0000 UTC',
    ],
    ['scheduling: other counts', '0/3 nodes are available: 3 Insufficient cpu.', '0/12 nodes are available: 12 Insufficient cpu.'],
    [
      'Terraform: other module and resource names',
      'Error: deleting ELBv2 Load Balancer: ResourceInUse with module.web.aws_lb.this',
      'Error: deleting ELBv2 Load Balancer: ResourceInUse with module.api_v2.aws_lb.main[0]',
    ],
    [
      'GCP: other project, zone and instance',
      "Error: The resource 'projects/my-proj-123/zones/us-central1-a/instances/vm-1' already exists, alreadyExists",
      "Error: The resource 'projects/acme-prod/zones/asia-east1-c/instances/db-primary' already exists, alreadyExists",
    ],
    ['timestamps in a log prefix', '2024/01/02 15:04:05 [ERROR] plugin exited', '2025/12/31 23:59:59 [ERROR] plugin exited'],
    ['Azure location', "The requested VM size is not available in location 'eastus'.", "The requested VM size is not available in location 'westeurope'."],
  ];
  it.each(pairs)('%s', (_label, a, b) => {
    expect(n(a)).toBe(n(b));
  });
});

describe('normalizeError: different errors keep different patterns', () => {
  const pairs: ReadonlyArray<readonly [string, string, string]> = [
    [
      'AccessDenied on s3:PutObject vs s3:GetObject',
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::b/k"',
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k"',
    ],
    ['SDK operation PutObject vs GetObject', SDK_S3('PutObject', 'A1B2C3', 'x='), SDK_S3('GetObject', 'A1B2C3', 'x=')],
    [
      'InvalidParameterValue on different parameters',
      'api error InvalidParameterValue: Value (t2.micr) for parameter instanceType is invalid.',
      'api error InvalidParameterValue: Value (t2.micr) for parameter imageId is invalid.',
    ],
    ["quota 'CPUS' vs 'C2_CPUS'", GCP_QUOTA('CPUS', '24.0', 'us-central1'), GCP_QUOTA('C2_CPUS', '24.0', 'us-central1')],
    ['StatusCode 403 vs 404', 'https response error StatusCode: 403, RequestID: abcd-1234', 'https response error StatusCode: 404, RequestID: abcd-1234'],
    [
      'API version v1beta1 vs v1alpha1',
      'error: exec plugin: invalid apiVersion "client.authentication.k8s.io/v1beta1"',
      'error: exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"',
    ],
    [
      'IAM action RunInstances vs TerminateInstances',
      CLI_UNAUTHORIZED('123456789012', 'bob', 'ec2:RunInstances', 'x'),
      CLI_UNAUTHORIZED('123456789012', 'bob', 'ec2:TerminateInstances', 'x'),
    ],
    [
      'localhost:8080 (no kubeconfig) vs an API server address',
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
      'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?',
    ],
    ['kubectl verb list vs get', K8S_FORBIDDEN('ci', 'sa', 'prod', 'list'), K8S_FORBIDDEN('ci', 'sa', 'prod', 'get')],
    ['kubectl resource pods vs secrets', K8S_FORBIDDEN('ci', 'sa', 'prod', 'list', 'pods'), K8S_FORBIDDEN('ci', 'sa', 'prod', 'list', 'secrets')],
    [
      'Terraform resource types',
      'Error: creating resource: with aws_s3_bucket.logs, on main.tf line 3',
      'Error: creating resource: with aws_instance.logs, on main.tf line 3',
    ],
    [
      'Terraform argument names',
      'Error: Unsupported argument: An argument named "instance_typ" is not expected here.',
      'Error: Unsupported argument: An argument named "amii" is not expected here.',
    ],
    ['Azure action write vs delete', AZURE_AUTHZ('x', 'y', 'z', 'write'), AZURE_AUTHZ('x', 'y', 'z', 'delete')],
    ['exit code 137 vs 1', 'command terminated with exit code 137', 'command terminated with exit code 1'],
    [
      'kind Ingress vs PodSecurityPolicy',
      'no matches for kind "Ingress" in version "extensions/v1beta1"',
      'no matches for kind "PodSecurityPolicy" in version "policy/v1beta1"',
    ],
    ['GCP Error 403 vs 409', 'googleapi: Error 403: Forbidden', 'googleapi: Error 409: Forbidden'],
  ];
  it.each(pairs)('%s', (_label, a, b) => {
    expect(n(a)).not.toBe(n(b));
  });
});

describe('normalizeError: secrets', () => {
  const secrets: ReadonlyArray<readonly [string, string]> = [
    ['AKIAIOSFODNN7EXAMPLE', 'InvalidClientTokenId: key AKIAIOSFODNN7EXAMPLE is invalid'],
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['ghp_1234567890abcdefghijklmnopqrstuvwxyz', 'remote: auth failed for ghp_1234567890abcdefghijklmnopqrstuvwxyz'],
    ['xoxb-123456789012-abcdefghijklmnop', 'slack: invalid_auth xoxb-123456789012-abcdefghijklmnop'],
    ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz', 'Authorization failed for eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz'],
    ['s3cr3t-P4ss', 'FATAL: password authentication failed: postgres://admin:s3cr3t-P4ss@db.example.com:5432/app'],
    ['Hunter2Pass!', 'Login failed: Server=tcp:db;User ID=sa;Password=Hunter2Pass!;Encrypt=true'],
    ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'bad key -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY----- in tls.key'],
  ];
  it.each(secrets)('the secret %s never appears in the pattern', (secret, message) => {
    expect(n(message)).not.toContain(secret.toLowerCase());
  });
});

// ---------------------------------------------------------------------------
// Properties

const FRAGMENTS = [
  'arn:aws:iam::123456789012:role/x', 'sg-0123abcd', '"my-bucket"', "'CPUS'", 'us-east-1', '10.0.0.1:443', 'https://x.example.com/a',
  'StatusCode: 403', 'RequestID: abc-123', '2024-01-02T03:04:05Z', 'aws_instance.web', 'module.a.aws_lb.b', 'on main.tf line 12', '│ ',
  '╷', '\n', '\r\n', '\x1b[31m', 'AKIAIOSFODNN7EXAMPLE', 'password=x', 'Bearer abcdefghijklmnop1234', '(Forbidden)', 'name: foo-1',
  'pod api-7f9c8d7b5c-xk2p9', '0b1f6471-1bf0-4dda-aec3-111122223333', 'Error: ', ' ', 'ec2:RunInstances', 'In [a b]', '<name>',
  '[REDACTED:x]', '::1', 'system:serviceaccount:a:b', "Quota 'C2_CPUS'", 'v1.2.3', '30s', '{"a":"b"}', 'projects/p/zones/z',
  '/subscriptions/x/resourceGroups/y', 'Microsoft.Compute/virtualMachines/vm', 'İ', 'K', '\u0000', '12', '.', '-', ':', '"', "'",
  '(', ')', '[', ']', '-----BEGIN RSA PRIVATE KEY-----', 'eyJ', 'localhost:8080', '\uE000', '\uE010',
];
const mixed = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })), { maxLength: 30 })
  .map((parts) => parts.join(''));
const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  mixed,
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(' ')),
);

describe('normalizeError: properties', () => {
  it('never throws and returns a string', () => {
    fc.assert(fc.property(anyText, (text) => typeof normalizeError(text) === 'string'), { numRuns: 2000 });
    for (const odd of [undefined, null, 42, {}, Symbol('s')]) {
      expect(typeof normalizeError(odd as unknown as string)).toBe('string');
    }
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const p = normalizeError(text);
        expect(normalizeError(p)).toBe(p);
      }),
      { numRuns: 3000 },
    );
  });

  it('reaches the fixed point in one pass on real-format messages', () => {
    for (const message of [
      SDK_S3('PutObject', '2Y8PJ1WH6M3G3QJD', 'abc+DEF/ghi='),
      CLI_UNAUTHORIZED('123456789012', 'bob', 'ec2:RunInstances', '4bC9ZmVvSk1tbHhMZk9yT0Zh'),
      TF_EC2('8e2b1c3d-1111-2222-3333-444455556666', 't2.micr', 'web', 'main.tf', 12),
      K8S_FORBIDDEN('ci', 'deployer', 'prod'),
      GCP_QUOTA('CPUS', '24.0', 'us-central1'),
      AZURE_AUTHZ('0b1f6471-1bf0-4dda-aec3-111122223333', '0b1f6471-1bf0-4dda-aec3-444455556666', 'rg'),
      EKSCTL_NOT_FOUND('prod-eks', '5c8e2b1c-aaaa-bbbb-cccc-ddddeeeeffff'),
      KARPENTER('api-7f9c8d7b5c-xk2p9', 'default', '2024-01-02T15:04:05.123Z'),
      HELM_OWNERSHIP('my-sa', 'default', 'my-release'),
    ]) {
      const once = normalizeOnce(message);
      expect(normalizeOnce(once)).toBe(once);
    }
  });

  it('caps the pattern length', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `step${i % 7} failed`).join(' ');
    const p = normalizeError(long);
    expect(p.length).toBeLessThanOrEqual(MAX_PATTERN_CHARS);
    expect(normalizeError(p)).toBe(p);
  });
});

// ---------------------------------------------------------------------------
// Hostile input: every rule on ~100 KB strings built from the fragments the rules look for.

const HOSTILE_SEEDS = [
  'a', '-', '1', '.', ':', '/', '"', "'", '`', '(', '[', '<', '@', '=', '%', 'a-', 'a.', '1.', 'a1', 'a_', 'a:', 'a/', '-1', '1-',
  'arn:aws:', 'arn:', 'sg-', 'i-', 'aws_a.', 'module.', 'module.a.', 'projects/', '/subscriptions/', 'Microsoft.', 'Microsoft.a/',
  'http://', 'a://', 'a@', '@a.', '::', ':1', '1:', '1.1.1.', '[::', 'fe80:', 'us-east-1', '2024-01-02', '12:00:00 ', 'RequestID: ',
  'Encoded authorization failure message: ', 'sha256:', 'Z9', 'ip-1-', 'name: ', 'In [', '(a', '(a)', 'f0', 'a.b', '1.2', '5%', 'v1',
  'x1', '"a', "'a", 'a"', '"a":', 'a\\"', '<a', '[REDACTED:', 'system:node:', 'Mon, 02 Jan 2006 ', 'E0102 ', 'a-b-', 'ab-c1',
  'aws_a.b[', 'aws_a.b["', '1.1.1.1/', 'a+', 'a/b=', '/a', '~/', './', 'a.tf', 'a.tf:1', 'C:\\', 'db.t3.', 'n1-standard-',
  'Standard_', 'AROA', 'resource "a_b" "', 'module "', 'localhost:1', '\x1b[', '│ ', '\n',
];
const KB100 = 100_000;
const build = (seed: string, size: number, suffix: string): string => seed.repeat(Math.ceil(size / seed.length)) + suffix;
const timed = (f: () => unknown): number => {
  const start = performance.now();
  f();
  return performance.now() - start;
};

describe('normalizer rules are linear on hostile input', () => {
  it.each(NORMALIZER_RULES.map((r) => [r.name, r] as const))('rule %s', (_name, rule) => {
    for (const seed of HOSTILE_SEEDS) {
      for (const suffix of ['', '!']) {
        const text = build(seed, KB100, suffix);
        const ms = timed(() => rule.apply(text, createRuleContext()));
        // A catastrophic or quadratic regex takes far longer than this on 100 KB.
        expect(ms, `${rule.name} on ${JSON.stringify(seed)}+${JSON.stringify(suffix)}`).toBeLessThan(2000);
      }
    }
  });

  it('all rules chained, uncapped, finish on 1 MB hostile strings', () => {
    for (const seed of ['a', '1', 'a-', 'a.', ':1', '"a', 'arn:aws:', 'aws_a.', 'module.a.', 'projects/', 'a@', '1.1.1.', 'name: ', '(a']) {
      const text = build(seed, 1_000_000, '!');
      const ms = timed(() => {
        const ctx = createRuleContext();
        let s = text;
        for (const rule of NORMALIZER_RULES) s = rule.apply(s, ctx);
      });
      // Linear work on 1 MB takes well under a second; quadratic work would take minutes.
      expect(ms, JSON.stringify(seed)).toBeLessThan(5000);
    }
  });

  it('normalizeError completes on 1 MB hostile strings', () => {
    for (const seed of ['a', '-', '1', '"', 'arn:aws:', 'a-', 'password:', '-----BEGIN PRIVATE KEY-----!', '│ a\n', 'eyJa.']) {
      const text = build(seed, 1_000_000, '!');
      let p = '';
      const ms = timed(() => {
        p = normalizeError(text);
      });
      expect(typeof p).toBe('string');
      expect(p.length).toBeLessThanOrEqual(MAX_PATTERN_CHARS);
      expect(ms, JSON.stringify(seed)).toBeLessThan(5000);
    }
  });
});

describe('issueIdFor', () => {
  it('is iss- plus 16 hex digits of the pattern SHA-256, stable across calls', () => {
    const p = n(SDK_S3('PutObject', 'A', 'B'));
    expect(issueIdFor(p)).toMatch(/^iss-[0-9a-f]{16}$/);
    expect(issueIdFor(p)).toBe(issueIdFor(p));
    // sha256("") starts with e3b0c44298fc1c14.
    expect(issueIdFor('')).toBe('iss-e3b0c44298fc1c14');
  });

  it('is the same for variants of one error and distinct for different errors', () => {
    expect(issueIdFor(n(EKSCTL_NOT_FOUND('a-1', 'r1-x')))).toBe(issueIdFor(n(EKSCTL_NOT_FOUND('b-2', 'r2-y'))));
    expect(issueIdFor(n(SDK_S3('PutObject', 'A', 'B')))).not.toBe(issueIdFor(n(SDK_S3('GetObject', 'A', 'B'))));
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => a === b || issueIdFor(a) !== issueIdFor(b)),
      { numRuns: 500 },
    );
  });

  it('tracks the normalizer version as a positive integer', () => {
    expect(Number.isInteger(NORMALIZER_VERSION) && NORMALIZER_VERSION >= 1).toBe(true);
  });
});

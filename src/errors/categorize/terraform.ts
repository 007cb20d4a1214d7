import type { CategoryRule } from './shared.js';
import { firstCapture } from './shared.js';

/** Diagnostic shapes only Terraform prints: `with <addr>`, `on x.tf line N`, `in resource "…"`, its own name. */
export const TERRAFORM_STRONG =
  /\bwith (?:module\.[\w-]+(?:\[[^\]\n]{0,200}\])?\.){0,10}(?:data\.)?(?:[a-z][a-z0-9]*_[a-z0-9_]+\.[\w-]|provider\[|var\.|local\.)|\bon \S+\.tf(?:vars)?(?:\.json)? line \d+|\bin (?:resource|provider|module|data) "|\bin terraform:|\bterraform\b|Terraform\b/;

/** Terraform's diagnostic box (`╷` then `│ Error: …`), only visible before the text is unwrapped. */
export const TERRAFORM_BOX = /^[ \t]*╷[ \t]*\r?\n[ \t]*│ (?:Error|Warning): /m;

// Older or provider-specific Terraform wording, used only when no other tool claimed the text.
const ADDR_PREFIX = String.raw`(?:module\.[\w-]+(?:\[[^\]\s]{0,200}\])?\.){0,10}`;
const TYPE = String.raw`([a-z][a-z0-9]*_[a-z0-9_]+)`;
const NAME = String.raw`[\w-]+`;
const OLD_ADDR_LINE = String.raw`(?:^|[\s*])${ADDR_PREFIX}${TYPE}\.${NAME}(?:\[[^\]\s]{0,200}\]|\.\d+)?(?: \(destroy\))?: `;

export const TERRAFORM_WEAK = new RegExp(
  [
    String.raw`(?:^|\s)Error: (?:Error )?(?:creating|reading|updating|deleting|waiting|putting|launching|configuring|applying|refreshing|loading|acquiring|locking|running plan|when reading or editing|building AzureRM)\b`,
    String.raw`Error (?:applying plan|refreshing state|loading state|locking state)`,
    String.raw`Error acquiring the state lock`,
    String.raw`Provider produced inconsistent`,
    String.raw`Backend (?:re)?initialization required`,
    String.raw`Failed to query available provider packages`,
    String.raw`\bprovider\.[a-z]+: `,
    String.raw`(?:^|\n)Workspace "[^"\n]{1,200}" doesn't exist`,
    String.raw`Saved plan is stale`,
    // graph cycles are reported as a bare list of addresses
    String.raw`(?:^|[\s*])Cycle: ${ADDR_PREFIX}(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.`,
    OLD_ADDR_LINE,
  ].join('|'),
);

// The resource address Terraform blames, most explicit form first.
const RESOURCE_TYPE_PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`\bwith (?:data\.)?${ADDR_PREFIX}(?:data\.)?${TYPE}\.${NAME}`),
  /\bin resource "([a-z][a-z0-9]*_[a-z0-9_]+)"/,
  new RegExp(String.raw`\b(?:plan for|changes to)\s+${ADDR_PREFIX}${TYPE}\.${NAME}`),
  new RegExp(OLD_ADDR_LINE),
  new RegExp(String.raw`\bCycle: ${ADDR_PREFIX}(?:data\.)?${TYPE}\.${NAME}`),
  /"((?:aws|azurerm|azuread|google|kubernetes|helm)_[a-z0-9_]+)"/,
  // a bare address in prose: "managing a remote object for aws_s3_bucket.logs"
  new RegExp(String.raw`(?<![\w."/-])${ADDR_PREFIX}${TYPE}\.${NAME}\b`),
];

export function terraformResourceType(t: string): string | null {
  return firstCapture(t, RESOURCE_TYPE_PATTERNS);
}

/** Cloud behind a Terraform resource type, read from its provider prefix. */
export function providerForResourceType(type: string | null): string | null {
  if (!type) return null;
  if (/^aws_/.test(type)) return 'aws';
  if (/^google(?:-beta)?_/.test(type)) return 'gcp';
  if (/^(?:azurerm|azuread|azapi)_/.test(type)) return 'azure';
  if (/^(?:kubernetes|helm|kubectl)_/.test(type)) return 'kubernetes';
  return null;
}

/** State problems are named by Terraform itself, so these phrases outrank any provider code quoted inside. */
export const TERRAFORM_STATE_RULES: readonly CategoryRule[] = [
  { id: 'tf-state-lock', on: 'text', category: 'state', test: /Error acquiring the state lock|Error locking state|\bLock Info:/ },
  { id: 'tf-state-newer-version', on: 'text', category: 'state', test: /state snapshot was created by Terraform v/ },
  {
    id: 'tf-state-checksum',
    on: 'text',
    category: 'state',
    test: /state data in S3 does not have the expected content|checksum calculated for the state|Digest value stored in the\s+DynamoDB/i,
  },
  {
    id: 'tf-backend-init',
    on: 'text',
    category: 'state',
    test: /Backend (?:re)?initialization required|Backend configuration changed|Failed to load backend: Initialization required/,
  },
  {
    id: 'tf-inconsistent-provider-result',
    on: 'text',
    category: 'state',
    test: /Provider produced inconsistent (?:final plan|result after apply)|Root resource was present, but now absent/,
  },
  {
    id: 'tf-already-managed',
    on: 'text',
    category: 'state',
    test: /already managed by Terraform|needs to be imported into the State|Resource already managed/i,
  },
  { id: 'tf-state-persist', on: 'text', category: 'state', test: /Failed to (?:save|persist) state|Error saving state/ },
  { id: 'tf-saved-plan-stale', on: 'text', category: 'state', test: /Saved plan is stale|state was changed by another operation/ },
  { id: 'tf-workspace-missing', on: 'text', category: 'state', test: /\bWorkspace "[^"\n]{1,200}" doesn't exist|selected workspace "[^"\n]{1,200}" does not exist/i },
  // Objects left in state whose provider block was removed.
  { id: 'tf-orphan-provider', on: 'text', category: 'state', test: /Provider configuration not present/ },
  {
    // The backend's own storage is missing; access problems to it stay permission.
    id: 'tf-backend-storage-missing',
    on: 'text',
    category: 'state',
    test: /(?:Failed to get existing workspaces|[Ee]rror loading state|Failed to load state): [^\n]{0,300}?(?:does not exist|not found|NoSuch\w+|ContainerNotFound)/,
  },
];

/** Missing or unfetchable modules read as "not found", but the fix is in the configuration or `terraform init`. */
export const TERRAFORM_CONFIG_RULES: readonly CategoryRule[] = [
  {
    id: 'tf-module-missing',
    on: 'text',
    category: 'config',
    test: /\bError: Invalid (?:function argument|value for (?:variable|input variable|module argument)|reference|index|count argument|for_each argument|template interpolation value|function call)\b|\bno file exists at\b|Module not (?:installed|found)|\bmodule [\w"-]{1,200}: not found|(?:Failed|Could not) (?:to )?download module|Error (?:loading|downloading) modules/,
  },
];

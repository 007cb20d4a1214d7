/**
 * Error categorization: one message in, a `Categorization` out.
 * Tool and provider are detected from the shape of the text, the error code is read the way
 * the producing tool writes it, and the category comes from the ordered table in
 * ./categorize/rules.ts (first match wins; nothing matched → `config` / `default`).
 */
import type { Categorization, ErrorTool } from './types.js';
import { unwrapErrorText } from './unwrap.js';
import { MAX_SCAN_CHARS, ruleMatches } from './categorize/shared.js';
import { CATEGORY_RULES } from './categorize/rules.js';
import { awsService, detectAws, extractAwsCode } from './categorize/aws.js';
import { TERRAFORM_BOX, TERRAFORM_STRONG, TERRAFORM_WEAK, providerForResourceType, terraformResourceType } from './categorize/terraform.js';
import { detectKubernetes, extractKubernetesCode, kubernetesKind } from './categorize/kubernetes.js';
import { detectHelm, helmResourceType } from './categorize/helm.js';
import { detectEksctl } from './categorize/eksctl.js';
import { detectKarpenter, karpenterKind } from './categorize/karpenter.js';
import { detectGcp, extractGcpCode, gcpResourceType } from './categorize/gcp.js';
import { detectAzure, azureResourceType, extractAzureCode } from './categorize/azure.js';

export { MAX_SCAN_CHARS } from './categorize/shared.js';
export { CATEGORY_RULES } from './categorize/rules.js';

type Family = 'aws' | 'gcp' | 'azure' | 'kubernetes';

// Most distinctive shape first: a Terraform diagnostic quotes every provider, and the
// Kubernetes-adjacent tools all quote kubectl/API wording, so generic detectors go last.
const TOOL_DETECTORS: readonly [ErrorTool, (t: string) => boolean][] = [
  ['terraform', (t) => TERRAFORM_STRONG.test(t)],
  ['karpenter', detectKarpenter],
  ['eksctl', detectEksctl],
  ['helm', detectHelm],
  ['kubernetes', detectKubernetes],
  ['terraform', (t) => TERRAFORM_WEAK.test(t)],
  ['gcp', detectGcp],
  ['azure', detectAzure],
  ['aws', detectAws],
];

function detectTool(t: string): ErrorTool {
  for (const [tool, detect] of TOOL_DETECTORS) if (detect(t)) return tool;
  return 'unknown';
}

const TOOL_FAMILY: Partial<Record<ErrorTool, Family>> = {
  aws: 'aws', eksctl: 'aws', gcp: 'gcp', azure: 'azure', kubernetes: 'kubernetes', helm: 'kubernetes',
};

function detectFamily(t: string): Family | null {
  if (detectGcp(t)) return 'gcp';
  if (detectAzure(t)) return 'azure';
  if (detectAws(t)) return 'aws';
  return null;
}

const CODE_EXTRACTORS: Record<Family, (t: string) => string | null> = {
  aws: extractAwsCode,
  gcp: extractGcpCode,
  azure: extractAzureCode,
  kubernetes: extractKubernetesCode,
};

function resolveResourceType(t: string, tool: ErrorTool): string | null {
  switch (tool) {
    case 'terraform':
      return terraformResourceType(t) ?? awsService(t) ?? gcpResourceType(t) ?? azureResourceType(t);
    case 'aws':
    case 'eksctl':
      return awsService(t);
    case 'karpenter':
      return awsService(t) ?? azureResourceType(t) ?? karpenterKind(t) ?? kubernetesKind(t);
    case 'kubernetes':
      return kubernetesKind(t);
    case 'helm':
      return kubernetesKind(t) ?? helmResourceType(t);
    case 'gcp':
      return gcpResourceType(t);
    case 'azure':
      return azureResourceType(t);
    default:
      return null;
  }
}

/**
 * Errors quoted inside JSON log lines arrive with `\n` and `\"` escaped, which hides
 * line starts and quoted codes from every pattern; undo just those two escapes.
 */
function unescapeEmbedded(text: string): string {
  return text.includes('\\') ? text.replace(/\\n/g, '\n').replace(/\\"/g, '"') : text;
}

export function categorizeError(text: string): Categorization {
  try {
    return categorize(text);
  } catch {
    // Categorization is advisory; a bug in one rule must never take down the caller.
    return { category: 'config', errorCode: null, resourceType: null, tool: 'unknown', provider: null, reason: 'default' };
  }
}

function categorize(input: unknown): Categorization {
  const raw = typeof input === 'string' ? input : String(input ?? '');
  const scanned = unescapeEmbedded(raw.length > MAX_SCAN_CHARS ? raw.slice(0, MAX_SCAN_CHARS) : raw);
  const t = unwrapErrorText(scanned);

  // The diagnostic box is Terraform's structure, whatever the message inside quotes.
  const tool = TERRAFORM_BOX.test(scanned) ? 'terraform' : detectTool(t);
  const resourceType = resolveResourceType(t, tool);

  let family: Family | null =
    tool === 'terraform'
      ? ((providerForResourceType(resourceType) as Family | null) ?? detectFamily(t))
      : tool === 'karpenter'
        ? // Karpenter also runs on Azure; it is AWS unless the text says otherwise.
          (detectFamily(t) ?? 'aws')
        : (TOOL_FAMILY[tool] ?? detectFamily(t));

  let errorCode: string | null = null;
  if (family) {
    errorCode = CODE_EXTRACTORS[family](t);
    // Karpenter's status conditions and events carry Kubernetes reasons when no cloud code is quoted.
    if (errorCode === null && tool === 'karpenter') errorCode = extractKubernetesCode(t);
  } else if (tool === 'terraform') {
    // A core diagnostic (state lock, backend) may still quote the backend's AWS code.
    errorCode = extractAwsCode(t);
    if (errorCode) family = 'aws';
  } else {
    for (const f of ['kubernetes', 'gcp', 'azure', 'aws'] as const) {
      errorCode = CODE_EXTRACTORS[f](t);
      if (errorCode) break;
    }
  }

  let category: Categorization['category'] = 'config';
  let reason = 'default';
  for (const rule of CATEGORY_RULES) {
    const subject = rule.on === 'code' ? errorCode : t;
    if (rule.code && !(errorCode !== null && rule.code.test(errorCode))) continue;
    if (subject !== null && ruleMatches(rule, subject)) {
      category = rule.category;
      reason = rule.id;
      break;
    }
  }

  return { category, errorCode, resourceType, tool, provider: family, reason };
}

import type { CategoryRule } from './shared.js';
import { TERRAFORM_CONFIG_RULES, TERRAFORM_STATE_RULES } from './terraform.js';
import { KUBERNETES_PRE_RULES } from './kubernetes.js';

/**
 * The category table, evaluated top to bottom; the first row that matches decides.
 * Order encodes precedence:
 *   1. phrases a tool uses to name the real cause (state, client config, RBAC) — they outrank any code they quote;
 *   2. specific error codes — a code beats the words around it;
 *   3. phrases, from the narrowest meaning (quota, capacity) to the broadest (invalid);
 *   4. generic codes (HTTP statuses, envelope codes) that only say which family a failure is in.
 * Capacity that is simply unavailable is `resource`; account limits and rate limits are `quota`.
 */
const CODE_RULES: readonly CategoryRule[] = [
  {
    id: 'code-auth',
    on: 'code',
    category: 'permission',
    test: /^(?:Client\.)?(?:AccessDenied\w*|UnauthorizedOperation|Unauthorized\w*|unauthorized|AuthFailure(?:\.\w+)?|AuthorizationFailed|AuthenticationFailed|LinkedAuthorizationFailed|InvalidAuthenticationToken\w*|ExpiredToken\w*|InvalidClientTokenId|SignatureDoesNotMatch|InvalidSignature\w*|InvalidAccessKeyId|NoCredentialProviders|MissingAuthenticationToken\w*|UnrecognizedClientException|NotAuthorized\w*|Forbidden|forbidden|insufficientPermissions|authError|PERMISSION_DENIED|UNAUTHENTICATED|RequestDisallowedByPolicy|AADSTS\d+|Insufficient\w*(?:Permissions?|Privileges?|Access)|InvalidGrant\w*|invalid_grant|invalid_client|unauthorized_client|RequestTimeTooSkewed|RequestExpired|AuthorizationPermissionMismatch|AuthorizationFailure)$/,
  },
  {
    id: 'code-capacity',
    on: 'code',
    category: 'resource',
    test: /^(?:InsufficientInstanceCapacity|InsufficientCapacity\w*|ReservationCapacityExceeded|UnfulfillableCapacity|InsufficientHostCapacity|UnsupportedAvailabilityZoneException|SkuNotAvailable|AllocationFailed|ZonalAllocationFailed|OverconstrainedAllocationRequest|Insufficient\w*|(?:ZONE|REGION)_RESOURCE_POOL_EXHAUSTED\w*)$/,
  },
  {
    id: 'code-quota',
    on: 'code',
    category: 'quota',
    test: /(?<!Backoff)[Ll]imitExceeded|[Qq]uotaExceeded|Throttl|TooManyRequests|SlowDown|ProvisionedThroughputExceeded|RESOURCE_EXHAUSTED|SubscriptionRequestsThrottled|^TooMany/,
  },
  {
    id: 'code-exists',
    on: 'code',
    category: 'resource',
    test: /AlreadyExists|alreadyExists|ALREADY_EXISTS|AlreadyOwnedByYou|AlreadyTaken|^Duplicate|^[Cc]onflict$|\.Conflict$|DeleteConflict|ResourceConflict|^OperationAborted$/,
  },
  { id: 'code-not-found', on: 'code', category: 'resource', test: /NotFound|notFound|NOT_FOUND|^NoSuch|NonExistent/ },
  {
    id: 'code-in-use',
    on: 'code',
    category: 'resource',
    test: /InUse|DependencyViolation|IncorrectState|InvalidState|^Invalid\w*State(?:Fault|Exception)?$|IncorrectInstanceState|NodeCreationFailure|OOMKilled|Evicted|ResourceGroupBeingDeleted|NotEmpty|DeletedRecently|BeingDeleted|PendingDeletion|ProgressDeadlineExceeded/,
  },
  {
    // `Invalid…` codes are also used for a resource that exists, is in use, or is in the wrong state; the text says which.
    id: 'invalid-code-resource-state',
    on: 'text',
    code: /^(?:Invalid|invalid)/,
    category: 'resource',
    test: /already exists|already in use|\b(?:is|are) (?:currently )?in use\b|scheduled for deletion|pending deletion|being deleted|not in (?:an? |the )?(?:available|valid|ready|running|stopped|active) state|in an? (?:invalid|incorrect) state/i,
  },
  {
    id: 'code-invalid',
    on: 'code',
    category: 'config',
    test: /^(?!InvalidTemplateDeployment$)(?:Invalid\w*|invalid\w*|Validation\w*|Malformed\w*|MissingParameter|MissingSubscriptionRegistration|Unsupported\w*|OptInRequired|required|accessNotConfigured|SERVICE_DISABLED|CreateContainerConfigError|CreateContainerError|OUT_OF_RANGE)$/,
  },
  {
    id: 'code-network',
    on: 'code',
    category: 'network',
    test: /^(?:RequestError|RequestTimeout\w*|EndpointConnectionError|UNAVAILABLE|DEADLINE_EXCEEDED|ServiceUnavailable)$/,
  },
];

const PHRASE_RULES: readonly CategoryRule[] = [
  {
    // A disabled API answers 403, but the fix is enabling it in the project, not granting a role.
    id: 'api-disabled',
    on: 'text',
    category: 'config',
    test: /has not been used in project [^\n]{0,80}?before or it is disabled|Access Not Configured/,
  },
  {
    id: 'quota-words',
    on: 'text',
    category: 'quota',
    test: /\bmore [^\n]{1,80}? than (?:your |the )?(?:current |allowed )?[^\n]{0,40}?limit\b|\bmore [\w -]{1,40} than allowed\b|\bquota\b[^\n]{0,120}\bexceed|\bexceed\w*\b[^\n]{0,120}\bquota|quotas? (?:were |was |has been )?exceeded|\blimit exceeded|exceed(?:s|ed|ing)? (?:the |your |its )?(?:current |approved |maximum )?(?:[\w-]+ ){0,3}?limits?\b|maximum number of [^\n]{1,80}? (?:has|have) been reached|\bRate exceeded|\brate limit|Too Many Requests|\bthrottl|has been exhausted|\binsufficient [\w -]{0,30}?quota\b|\b(?:additional|more|enough) quota\b/i,
  },
  {
    id: 'capacity-words',
    on: 'text',
    category: 'resource',
    test: /insufficient capacity|do(?:es)? not (?:currently )?have (?:sufficient|enough) [^\n]{0,60}?capacity|Insufficient (?:cpu|memory|pods|ephemeral-storage|nvidia\.com\/gpu)|currently not available in location|Capacity Restrictions|instance types were unavailable|does not have enough resources available/i,
  },
  {
    // Scheduling constraints nothing can satisfy (taints, affinity, unknown label values) are fixed in the workload or node pool spec.
    id: 'scheduling-constraints',
    on: 'text',
    category: 'config',
    test: /untolerated taint|did(?:n't| not) tolerate|didn't match (?:Pod's )?node (?:affinity|selector)|incompatible requirements|does not have known values|no instance type satisfied resources/,
  },
  {
    id: 'permission-words',
    on: 'text',
    category: 'permission',
    test: /not authorized|\bunauthori[sz]ed\b|access denied|access to [^\n]{0,80}? (?:was|is) denied|permission denied|insufficient permission|\bpermission\(s\)? for\b|Required '[^'\n]{1,120}' permission|Required "[^"\n]{1,120}" permission|does not have (?:authorization|permission)|caller does not have permission|\bforbidden\b|security token included in the request is (?:invalid|expired)|must be logged in|run 'az login'|no valid credential|authentication (?:failed|required)|Session token not found or invalid|invalid credentials|failed to (?:retrieve|refresh cached|load) credentials|unable to locate credentials|no valid providers in chain|\bdenied the request\b|was disallowed by policy|credentials? (?:have |has )?expired|\b401\b|\btoken (?:has |is )?expired|\bexpired (?:token|session|credentials)|refresh(?:ing)? (?:[\w ]{0,40})?tokens? failed|\brefresh failed|refreshing your current auth tokens|could not find default credentials|no credentials (?:loaded|found)|does not have access to|Signature expired|Signature not yet current|clock skew|Constraint constraints\/[\w.]+ violated|violates? (?:the )?(?:organization|org) polic/i,
  },
  {
    id: 'network-words',
    on: 'text',
    category: 'network',
    test: /dial tcp|i\/o timeout|connection (?:refused|reset|timed out)|\brefused\b|no such host|no route to host|host is down|network is unreachable|TLS handshake timeout|x509:|certificate signed by unknown authority|context deadline exceeded|Client\.Timeout exceeded|request canceled while waiting for connection|could not connect to|cannot be reached|\bunreachable\b|send request failed|unable to handle the request|Service Unavailable|connectex|getsockopt|unexpected EOF|timeout while waiting|timed out|network not ready|cni plugin not initialized|NetworkPluginNotReady/i,
  },
  {
    id: 'resource-words',
    on: 'text',
    category: 'resource',
    test: /already exists|already taken|already in use|still in use|re-use a name|\bis (?:currently )?(?:in use|being deleted|attached to)\b|currently being deleted|has a dependent object|not found\b|does not exist|could not be found|couldn't find|cannot find|\bno [\w-]+ (?:found|exist)|failed to discover|another operation \(install\/upgrade\/rollback\) is in progress|the object has been modified|cannot be updated|manifest unknown|has no deployed releases|fail(?:ing|ed) to pull image|Back-off pulling image|is currently upgrading|failed to stabilize|failed to join|has dependencies|cannot be deleted|\bnot empty\b|still contains|already (?:exclusively )?attached|Multi-Attach error|would violate the pod's disruption budget|prevents? (?:pod )?evictions?|low on resource|failed to assign an IP address|Waiting for a volume to be created/i,
  },
  {
    id: 'config-words',
    on: 'text',
    category: 'config',
    test: /\binvalid\b|Unsupported (?:argument|block type|attribute)|not expected here|Missing required argument|is required|Required value|unknown field|missing required field|parse error|function "[^"\n]{1,60}" not defined|mapping values are not allowed|did not find expected key|error converting YAML|cannot unmarshal|error validating|not valid|Terraform Core version|does not support Terraform version|dependency lock file|undeclared|malformed|unsupported|not registered to use namespace|apiVersion not set|version constraint|must be a match of regex/i,
  },
];

const GENERIC_CODE_RULES: readonly CategoryRule[] = [
  // Pod states say where a pod is stuck, not why; the words around them (401, i/o timeout, manifest unknown) decide first.
  { id: 'k8s-image-pull', on: 'code', category: 'resource', test: /^(?:ImagePullBackOff|ErrImagePull)$/ },
  { id: 'k8s-crashloop', on: 'code', category: 'config', test: /^CrashLoopBackOff$/ },
  { id: 'k8s-unschedulable', on: 'code', category: 'resource', test: /^FailedScheduling$/ },
  { id: 'k8s-nodes-unavailable', on: 'text', category: 'resource', test: /\b\d+\/\d+ nodes are available/ },
  { id: 'http-401-403', on: 'code', category: 'permission', test: /^40[13]$/ },
  { id: 'http-429', on: 'code', category: 'quota', test: /^429$/ },
  { id: 'http-404-409', on: 'code', category: 'resource', test: /^40[49]$/ },
  { id: 'http-400', on: 'code', category: 'config', test: /^4\d\d$/ },
  { id: 'http-5xx', on: 'code', category: 'network', test: /^5\d\d$/ },
  { id: 'code-precondition', on: 'code', category: 'resource', test: /^(?:FAILED_PRECONDITION|failedPrecondition|ABORTED)$/ },
  { id: 'code-generic-invalid', on: 'code', category: 'config', test: /^(?:INVALID_ARGUMENT|InvalidTemplateDeployment|DeploymentFailed|BadRequest|badRequest)$/ },
];

export const CATEGORY_RULES: readonly CategoryRule[] = [
  ...TERRAFORM_STATE_RULES,
  ...KUBERNETES_PRE_RULES,
  ...TERRAFORM_CONFIG_RULES,
  ...CODE_RULES,
  ...PHRASE_RULES,
  ...GENERIC_CODE_RULES,
];

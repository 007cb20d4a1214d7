/** Scanner-output parsers (issue 3): text in, `{ findings, problems }` out; see each module. */
export { ScannerParseError, type ParseOptions, type ParseResult } from './common.js';
export { parseCheckovJson, CHECKOV_DEFAULT_SEVERITY, CHECKOV_FALLBACK_SEVERITY } from './checkov.js';
export { parseTfsecJson } from './tfsec.js';
export { parseTrivyJson, normaliseTrivyId } from './trivy.js';
export { parseSarif, severityFromLevel, severityFromScore } from './sarif.js';
export { mergeFindings } from './merge.js';

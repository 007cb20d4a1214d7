import type { Verdict } from '../types.js';
import { UNKNOWN } from '../util.js';
import { nestedStr } from './nested-common.js';

/** IMDSv2 is enforced when `metadata_options { http_tokens = "required" }`, or the endpoint is disabled. */
export function imdsV2Verdict(body: Record<string, unknown>): Verdict {
  const tokens = nestedStr(body, 'metadata_options', 'http_tokens');
  const endpoint = nestedStr(body, 'metadata_options', 'http_endpoint');
  if (tokens === 'required' || endpoint === 'disabled') return 'pass';
  if (tokens === UNKNOWN || endpoint === UNKNOWN) return 'unknown';
  return 'fail';
}

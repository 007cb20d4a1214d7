import { isUnresolved } from '../../hcl/load.js';

/** Aurora instances inherit storage, backup and encryption settings from their cluster. */
export function isAuroraInstance(body: Record<string, unknown>): boolean | 'unknown' {
  const engine = body['engine'];
  if (typeof engine !== 'string') return false;
  if (isUnresolved(engine)) return 'unknown';
  return engine.startsWith('aurora');
}

/** Read replicas inherit encryption and do not keep their own backups. */
export function isReplica(body: Record<string, unknown>): boolean {
  return body['replicate_source_db'] !== undefined && body['replicate_source_db'] !== null;
}

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/exit-codes.js';
import { checkSessionId, isExpired, newSessionId, readSession, sessionFile, sessionFolder } from '../../src/operate/session.js';
import { fakeCluster } from './fake-cluster.js';

describe('session ids and files', () => {
  it('refuses ids that could leave the sessions folder, before building any path', async () => {
    const c = fakeCluster({});
    // A file the traversal would reach if the id were used as a path.
    mkdirSync(join(c.stateDir, 'sessions'), { recursive: true });
    writeFileSync(join(c.stateDir, 'secret.json'), '{}');
    for (const id of ['../secret', '../../etc/passwd', 'op-20261123-142000-0123abcd/../../secret', '/etc/passwd', 'op-20261123-142000-0123ABCD', '']) {
      expect(() => sessionFile(c.stateDir, id), id).toThrow(CliError);
      expect(() => sessionFolder(c.stateDir, id), id).toThrow(/is not a session id/);
      await expect(readSession(c.stateDir, id)).rejects.toMatchObject({ code: 'operate.bad-id', exitCode: 2 });
    }
    expect(readdirSync(join(c.stateDir, 'sessions'))).toEqual([]);
  });

  it('makes ids in the checked format', () => {
    const id = newSessionId(new Date('2026-11-23T14:20:05.123Z'));
    expect(id).toMatch(/^op-20261123-142005-[0-9a-f]{8}$/);
    expect(checkSessionId(id)).toBe(id);
  });

  it('names a missing session and a damaged session file', async () => {
    const c = fakeCluster({});
    const id = newSessionId(new Date());
    await expect(readSession(c.stateDir, id)).rejects.toMatchObject({ code: 'operate.unknown-session' });
    mkdirSync(join(c.stateDir, 'sessions'), { recursive: true });
    writeFileSync(sessionFile(c.stateDir, id), '{"schemaVersion":1,');
    await expect(readSession(c.stateDir, id)).rejects.toMatchObject({ code: 'operate.session-invalid' });
    writeFileSync(sessionFile(c.stateDir, id), '{"schemaVersion":1}');
    await expect(readSession(c.stateDir, id)).rejects.toThrow(/is not a valid session:\n {2}\/id is required\n/);
  });

  it('expires at expiresAt', () => {
    const s = { expiresAt: '2026-11-23T15:00:00.000Z' } as Parameters<typeof isExpired>[0];
    expect(isExpired(s, new Date('2026-11-23T14:59:59.999Z'))).toBe(false);
    expect(isExpired(s, new Date('2026-11-23T15:00:00.000Z'))).toBe(true);
  });
});

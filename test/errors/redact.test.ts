import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTION_RULES, redactSecrets, secretKindForKey } from '../../src/errors/redact.js';

describe('redactSecrets: each secret kind', () => {
  const cases: ReadonlyArray<readonly [string, string, string, string]> = [
    // [label, input, secret that must disappear, expected marker]
    ['AWS access key id', 'InvalidClientTokenId: The security token included in the request is invalid (AKIAIOSFODNN7EXAMPLE)', 'AKIAIOSFODNN7EXAMPLE', '[REDACTED:aws-access-key-id]'],
    ['AWS temporary key id', 'credentials ASIAY34FZKBOKMUTVV7A expired', 'ASIAY34FZKBOKMUTVV7A', '[REDACTED:aws-access-key-id]'],
    ['AWS secret key, env style', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY aws sts get-caller-identity', 'wJalrXUtnFEMI/K7MDENG', '[REDACTED:aws-secret-access-key]'],
    ['AWS secret key, JSON', '{"AccessKeyId":"ASIA...","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', 'wJalrXUtnFEMI/K7MDENG', '"[REDACTED:aws-secret-access-key]"'],
    ['AWS secret key, credentials file layout', 'secret_key     wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY shared-credentials-file', 'wJalrXUtnFEMI/K7MDENG', '[REDACTED:aws-secret-access-key]'],
    ['Authorization: Bearer header', 'request headers: Authorization: Bearer abc.def-ghi_jkl', 'abc.def-ghi_jkl', 'Authorization: Bearer [REDACTED:bearer-token]'],
    ['Authorization: Basic header', 'Authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz', 'Authorization: Basic [REDACTED:basic-auth]'],
    ['bare bearer token', 'sent bearer 0a1b2c3d4e5f6a7b8c9d0e1f', '0a1b2c3d4e5f6a7b8c9d0e1f', 'bearer [REDACTED:bearer-token]'],
    ['token= query parameter', 'GET https://api.example.com/v1?token=s3cr3tT0ken&page=2 failed', 's3cr3tT0ken', 'token=[REDACTED:token]&page=2'],
    ['GitHub token', 'remote: Invalid username or token ghp_1234567890abcdefghijklmnopqrstuvwxyz.', 'ghp_1234567890abcdefghijklmnopqrstuvwxyz', '[REDACTED:github-token].'],
    ['GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ denied', 'github_pat_11ABCDEFG', '[REDACTED:github-token] denied'],
    ['Slack token', 'slack: invalid_auth for xoxb-123456789012-1234567890123-AbCdEfGhIjKl', 'xoxb-123456789012', '[REDACTED:slack-token]'],
    ['JWT', 'token eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl is expired', 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ', '[REDACTED:jwt] is expired'],
    ['api_key=', 'failed with api_key=abcd1234efgh5678 and x-api-key: "k-9f8e7d6c5b4a"', 'abcd1234efgh5678', 'api_key=[REDACTED:api-key]'],
    ['x-api-key header', 'failed with x-api-key: "k-9f8e7d6c5b4a"', 'k-9f8e7d6c5b4a', 'x-api-key: "[REDACTED:api-key]"'],
    ['password in a URL', 'FATAL: password authentication failed: postgres://admin:s3cr3t@db.example.com:5432/app', 's3cr3t', 'postgres://admin:[REDACTED:password]@db.example.com'],
    ['password with @ in a URL', 'dial mysql://root:p@ss@10.0.0.5:3306/db', 'p@ss', 'mysql://root:[REDACTED:password]@10.0.0.5'],
    ['connection-string password', 'Login failed: Server=tcp:db;User ID=sa;Password=Hunter2Pass!;Encrypt=true', 'Hunter2Pass!', 'Password=[REDACTED:password];Encrypt=true'],
    ['Azure storage account key', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=abc123+/def==;EndpointSuffix=core.windows.net', 'abc123+/def==', 'AccountKey=[REDACTED:secret];'],
    ['CLI flag password', 'helm repo add x --password=p4ssw0rd failed', 'p4ssw0rd', '--password=[REDACTED:password]'],
    ['password inside a non-secret value', 'args:--password=p4ssw0rd', 'p4ssw0rd', '--password=[REDACTED:password]'],
    ['Google API key', 'API key not valid: AIzaSyA1234567890abcdefghijklmnopqrstuv', 'AIzaSyA1234567890', '[REDACTED:google-api-key]'],
    [
      'private key block',
      'invalid key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7Vx\nabcDEF==\n-----END RSA PRIVATE KEY-----\nin secret tls',
      'MIIEowIBAAKCAQEA7Vx',
      'invalid key: [REDACTED:private-key]\nin secret tls',
    ],
    [
      'private key block in JSON with escaped newlines',
      '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvgIBADANBg\\n-----END PRIVATE KEY-----\\n"}',
      'MIIEvgIBADANBg',
      '"[REDACTED:private-key]\\n"',
    ],
    ['truncated private key block', 'key -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA', 'b3BlbnNzaC1rZXktdjEAAAA', 'key [REDACTED:private-key]'],
  ];
  it.each(cases)('%s', (_label, input, secret, marker) => {
    const out = redactSecrets(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(marker);
  });
});

describe('redactSecrets: non-secrets stay', () => {
  const keep = [
    'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:GetObject',
    'https response error StatusCode: 403, RequestID: 2Y8PJ1WH6M3G3QJD, HostID: Zr8Pu0Lu3bPf+4aWq6Ksv2K/2pQf3y9X0jW3S1x8Nl4=',
    'Lock Info: ID: 0b1f6471-1bf0-4dda-aec3-111122223333',
    'image sha256:5e3a0e8f3b1c4d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f not found',
    'pod api-7f9c8d7b5c-xk2p9 failed; the bearer token is invalid',
    'Error: token: expired',
    'password: must be at least 8 characters',
    'The security token included in the request is invalid.',
    'assumed role AROAEXAMPLEID1234567:session',
    'secrets "db-password" not found',
    'Error: Missing required argument: The argument "password" is required',
  ];
  it.each(keep)('%s', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('secretKindForKey', () => {
  it('recognises secret key names in every casing style', () => {
    expect(secretKindForKey('PGPASSWORD')).toBe('password');
    expect(secretKindForKey('client_secret')).toBe('secret');
    expect(secretKindForKey('secretAccessKey')).toBe('aws-secret-access-key');
    expect(secretKindForKey('X-Amz-Security-Token')).toBe('token');
    expect(secretKindForKey('apiKey')).toBe('api-key');
    expect(secretKindForKey('SharedAccessKey')).toBe('secret');
  });
  it('leaves non-secret names alone', () => {
    for (const key of ['access_key_id', 'token_type', 'secret_name', 'password_policy', 'max_tokens', 'name', 'AccessKey']) {
      expect(secretKindForKey(key), key).toBeNull();
    }
  });
});

describe('redactSecrets: properties', () => {
  const fragments = [
    'AKIAIOSFODNN7EXAMPLE', 'password=', 'token: ', 'Bearer ', 'Authorization: ', 'eyJhbGciOi', '.', 'ghp_', 'xoxb-',
    '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----', 'postgres://u:', '@', '"', "'", ';', ':', '=', ' ', '\n',
    '[REDACTED:token]', 'abc123def456', 'secret_access_key=', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  ];
  const arb = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 12 })), { maxLength: 30 }).map((p) => p.join('')),
  );

  it('never throws and is idempotent', () => {
    fc.assert(
      fc.property(arb, (text) => {
        const once = redactSecrets(text);
        expect(redactSecrets(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('always removes an embedded access key id, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (before, after) => {
        const text = `${before} AKIAIOSFODNN7EXAMPLE ${after}`;
        expect(redactSecrets(text)).not.toContain('AKIAIOSFODNN7EXAMPLE');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('redaction rules are linear on hostile input', () => {
  const seeds = [
    'a', '1', '-', ':', '=', '"', "'", '@', 'a:', 'a=', 'a-', '--a=', 'AKIA', 'A', 'eyJ', 'eyJa.', 'eyJaaaaaaaaa.aaaaaaaaa',
    'ghp_', 'xoxb-', 'glpat-', 'AIza', 'password:', 'password=', 'password="', 'token: 1', 'bearer ', 'Bearer 1',
    'Authorization: ', 'authorization:bearer ', 'a://', 'a://a:', 'postgres://u:', 'u:p@', '-----BEGIN PRIVATE KEY-----',
    '-----BEGIN PRIVATE KEY-----!', '-----END ', 'PRIVATE KEY', 'secret_key ', 'https://hooks.slack.com/services/',
  ];
  it.each(REDACTION_RULES.map((r) => [r.name, r] as const))('rule %s', (_name, rule) => {
    for (const seed of seeds) {
      for (const suffix of ['', '!']) {
        const text = seed.repeat(Math.ceil(100_000 / seed.length)) + suffix;
        const start = performance.now();
        rule.apply(text);
        // A catastrophic or quadratic rule takes far longer than this on 100 KB.
        expect(performance.now() - start, `${rule.name} on ${JSON.stringify(seed)}`).toBeLessThan(2000);
      }
    }
  });

  it('redactSecrets completes on 1 MB hostile strings (no cap: a cap would leak)', () => {
    for (const seed of ['a', 'password:', 'a:', 'AKIA', 'eyJa.', '-----BEGIN PRIVATE KEY-----!', 'a://a:', 'bearer ']) {
      const text = seed.repeat(Math.ceil(1_000_000 / seed.length)) + '!';
      const start = performance.now();
      expect(typeof redactSecrets(text)).toBe('string');
      // Quadratic work on 1 MB would take minutes.
      expect(performance.now() - start, JSON.stringify(seed)).toBeLessThan(5000);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { policyDocument } from '../../../src/tester/rules/aws/iam-policy-doc.js';
import { adminStatementVerdict } from '../../../src/tester/rules/aws/iam-admin-policy.js';

describe('policyDocument', () => {
  it('converts literal HCL inside jsonencode (newline- and comma-separated members, quoted keys, comments)', () => {
    const v = policyDocument(`\${jsonencode({
      Version = "2012-10-17" # comment
      Statement = [
        { Effect = "Allow", Action = ["s3:GetObject"], Resource = "*" },
        {
          Effect    = "Deny"
          Action    = "s3:*"
          Resource  = "*"
          Condition = { Bool = { "aws:SecureTransport" = "false" } }
        },
      ]
    })}`);
    expect(v).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' },
        { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    });
  });
  it('is unknown for references, function calls and templates', () => {
    expect(policyDocument('${jsonencode({ Statement = [{ Action = var.a }] })}')).toBe('unknown');
    expect(policyDocument('${jsonencode({ Statement = concat(local.a, local.b) })}')).toBe('unknown');
    expect(policyDocument('${jsonencode({ Resource = "arn:aws:s3:::${var.b}/*" })}')).toBe('unknown');
    expect(policyDocument('${data.aws_iam_policy_document.x.json}')).toBe('unknown');
    expect(policyDocument('not json')).toBe('unknown');
  });
  it('parses plain JSON strings', () => {
    expect(policyDocument('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}')).toEqual({
      Statement: { Effect: 'Allow', Action: '*', Resource: '*' },
    });
  });
});

describe('adminStatementVerdict', () => {
  it('fails only an Allow of "*" on "*"', () => {
    expect(adminStatementVerdict({ Statement: { Action: '*', Resource: '*' } })).toBe('fail');
    expect(adminStatementVerdict({ Statement: [{ Effect: 'Allow', Action: ['s3:*', '*'], Resource: ['*'] }] })).toBe('fail');
    expect(adminStatementVerdict({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] })).toBe('pass');
    expect(adminStatementVerdict({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] })).toBe('pass');
    expect(adminStatementVerdict({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '${var.r}' }] })).toBe('unknown');
    expect(adminStatementVerdict('unknown')).toBe('unknown');
  });
});

import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/analyze/permissions/parse-policy.js';
import { inline } from './policies.js';

describe('parsePolicy', () => {
  it('accepts Statement as an object and elements as strings', () => {
    const parsed = parsePolicy(
      inline('one', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'S3:GetObject', Resource: '*' } }),
    );
    expect(parsed.gaps).toEqual([]);
    expect(parsed.statements).toHaveLength(1);
    expect(parsed.statements[0]?.actions).toEqual({ negated: false, patterns: ['s3:getobject'] });
    expect(parsed.statements[0]?.resources).toEqual({ negated: false, patterns: ['*'] });
  });

  it('keeps NotAction, NotResource, Sid and the Condition block with values as strings', () => {
    const parsed = parsePolicy(
      inline('two', {
        Statement: [
          {
            Sid: 'NoAudit',
            Effect: 'Deny',
            NotAction: ['iam:Get*'],
            NotResource: ['arn:aws:s3:::audit', 'arn:aws:s3:::audit/*'],
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': false }, NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } },
          },
        ],
      }),
    );
    const s = parsed.statements[0];
    expect(s?.sid).toBe('NoAudit');
    expect(s?.effect).toBe('Deny');
    expect(s?.actions.negated).toBe(true);
    expect(s?.resources).toEqual({ negated: true, patterns: ['arn:aws:s3:::audit', 'arn:aws:s3:::audit/*'] });
    expect(s?.conditions).toEqual({
      Bool: { 'aws:MultiFactorAuthPresent': ['false'] },
      NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600'] },
    });
  });

  it('widens policy variables in resources and marks the statement', () => {
    const parsed = parsePolicy(
      inline('vars', {
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' }],
      }),
    );
    expect(parsed.statements[0]?.resources.patterns).toEqual(['arn:aws:s3:::home/*/*']);
    expect(parsed.statements[0]?.usesPolicyVariables).toBe(true);
  });

  it('turns an unreadable document into a gap', () => {
    const parsed = parsePolicy({ name: 'broken', kind: 'inline', policy: { ok: false, raw: '%7B', error: 'Unexpected end of JSON input' } });
    expect(parsed.statements).toEqual([]);
    expect(parsed.gaps).toEqual(['policy broken could not be read: Unexpected end of JSON input']);
  });

  it('leaves out statements IAM would reject, and says which', () => {
    const parsed = parsePolicy(
      inline('odd', {
        Statement: [
          { Effect: 'allow', Action: '*', Resource: '*' },
          { Effect: 'Allow', Action: 's3:GetObject', NotAction: 's3:PutObject', Resource: '*' },
          { Effect: 'Allow', Action: 's3:GetObject' },
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' },
        ],
      }),
    );
    expect(parsed.statements.map((s) => s.index)).toEqual([3]);
    expect(parsed.gaps).toEqual([
      'policy odd: statement 1 has no valid Effect; the statement was left out',
      'policy odd: statement 2 needs exactly one of Action and NotAction; the statement was left out',
      'policy odd: statement 3 needs exactly one of Resource and NotResource; the statement was left out',
    ]);
  });
});

/**
 * Rewriting a role's trust and then assuming the role needs no sts:AssumeRole Allow: the attacker writes its
 * own ARN into the trust, and within one account a trust that names the caller directly admits it whatever
 * its identity policies say, short of an explicit Deny (IAM's evaluation logic, cited in the catalogue).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizePermissions } from '../../../src/analyze/permissions/index.js';
import { loadActionCatalog } from '../../../src/catalog/load-action-catalog.js';
import type { ActionCatalog } from '../../../src/model/action-catalog.js';
import { inline, managed } from './policies.js';

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadActionCatalog();
});

const SELF = 'arn:aws:iam::111122223333:role/reviewed';
const rewrite = { Effect: 'Allow', Action: 'iam:UpdateAssumeRolePolicy', Resource: 'arn:aws:iam::111122223333:role/*' };
const summary = (statements: unknown[], boundary?: unknown[]) =>
  summarizePermissions(
    [inline('fixture', { Version: '2012-10-17', Statement: statements })],
    catalog,
    boundary ? managed('boundary', { Version: '2012-10-17', Statement: boundary }) : undefined,
    { principalArn: SELF },
  );
const method = (statements: unknown[], boundary?: unknown[]) =>
  summary(statements, boundary).privilegeEscalation.find((m) => m.method === 'iam-update-assume-role-policy');

describe('iam-update-assume-role-policy needs only the rewrite', () => {
  it('UpdateAssumeRolePolicy alone is the method, and the evidence says why sts:AssumeRole is not needed', () => {
    const found = method([rewrite]);
    expect(found?.actions).toEqual(['iam:UpdateAssumeRolePolicy']);
    expect(found?.conditional).toBe(false);
    expect(found?.resources).toEqual([
      'iam:UpdateAssumeRolePolicy on arn:aws:iam::111122223333:role/*',
      'sts:AssumeRole: no Allow needed, the trust it writes names the principal (same account)',
    ]);
  });

  it('an explicit Deny on sts:AssumeRole in its identity policy blocks it', () => {
    expect(method([rewrite, { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }])).toBeUndefined();
    expect(method([rewrite, { Effect: 'Deny', Action: 'sts:*', Resource: 'arn:aws:iam::*:role/*' }])).toBeUndefined();
  });

  it('a Deny on other roles only, or one whose condition may not hold, leaves it (conditional for the latter)', () => {
    expect(method([rewrite, { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111122223333:role/break-glass' }])?.conditional).toBe(false);
    const conditional = method([rewrite, { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }]);
    expect(conditional?.conditional).toBe(true);
    expect(conditional?.resources?.[1]).toBe('sts:AssumeRole: no Allow needed, the trust it writes names the principal (same account), unless a conditional Deny (fixture statement 2) applies');
  });

  it('a permissions boundary that allows only the rewrite does not stop it; one that denies sts:AssumeRole does', () => {
    expect(method([rewrite], [{ Effect: 'Allow', Action: 'iam:UpdateAssumeRolePolicy', Resource: '*' }])).toBeDefined();
    expect(method([rewrite], [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }, { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }])).toBeUndefined();
  });

  it('look-alikes: reading or describing a role, or AssumeRole alone, is not the method', () => {
    expect(method([{ Effect: 'Allow', Action: ['iam:GetRole', 'iam:UpdateRole', 'sts:AssumeRole'], Resource: '*' }])).toBeUndefined();
    // AWS managed and service-linked roles cannot be rewritten by the customer.
    expect(method([{ Effect: 'Allow', Action: 'iam:UpdateAssumeRolePolicy', Resource: 'arn:aws:iam::111122223333:role/aws-service-role/*' }])).toBeUndefined();
  });

  it('the combined pathfinding methods (iam-019..021) are blocked by the same Deny', () => {
    const pair = { Effect: 'Allow', Action: ['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'], Resource: '*' };
    const ids = (statements: unknown[]) => summary(statements).privilegeEscalation.map((m) => m.method);
    expect(ids([pair])).toContain('iam-put-role-policy-update-trust');
    expect(ids([pair, { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }])).not.toContain('iam-put-role-policy-update-trust');
  });
});

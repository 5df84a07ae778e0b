import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../src/analyze/policy/document.js';
import { conditionTest, negateForDeny, parseOperator } from '../../src/analyze/policy/conditions.js';
import { assumeActionsCovered } from '../../src/analyze/policy/actions.js';

const trust = { requirePrincipal: true };

describe('parsePolicyDocument', () => {
  it('normalises a single statement object, string elements and scalar condition values', () => {
    const parsed = parsePolicyDocument(
      {
        Version: '2012-10-17',
        Statement: {
          Sid: 'Vendor',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::464622532012:root' },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': true }, NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } },
        },
      },
      trust,
    );
    expect(parsed).toEqual({
      ok: true,
      version: '2012-10-17',
      statements: [
        {
          index: 0,
          sid: 'Vendor',
          effect: 'Allow',
          principals: [{ type: 'AWS', value: 'arn:aws:iam::464622532012:root' }],
          actions: ['sts:AssumeRole'],
          conditions: [
            { operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] },
            { operator: 'NumericLessThan', key: 'aws:MultiFactorAuthAge', values: ['3600'] },
          ],
          conditionBlock: { Bool: { 'aws:MultiFactorAuthPresent': ['true'] }, NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600'] } },
        },
      ],
    });
  });

  it('reads Principal "*", lists under each type and NotPrincipal', () => {
    const parsed = parsePolicyDocument(
      {
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: ['sts:AssumeRole', 'sts:TagSession'] },
          { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'], AWS: '123456789012' }, Action: 'sts:AssumeRole' },
          { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:role/ci' }, Action: 'sts:*' },
        ],
      },
      trust,
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.statements.map((s) => s.principals ?? s.notPrincipals)).toEqual([
      [{ type: '*', value: '*' }],
      [
        { type: 'Service', value: 'ec2.amazonaws.com' },
        { type: 'Service', value: 'lambda.amazonaws.com' },
        { type: 'AWS', value: '123456789012' },
      ],
      [{ type: 'AWS', value: 'arn:aws:iam::123456789012:role/ci' }],
    ]);
    expect(parsed.statements[2]?.notPrincipals).toBeDefined();
  });

  it('accepts a JSON string and a URL-encoded JSON string', () => {
    const doc = '{"Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
    expect(parsePolicyDocument(doc, trust).ok).toBe(true);
    expect(parsePolicyDocument(encodeURIComponent(doc), trust).ok).toBe(true);
  });

  it.each([
    [null, 'The policy is not a JSON object (found null).'],
    [[], 'The policy is not a JSON object (found a list).'],
    [{ Version: '2012-10-17' }, 'The policy has no Statement element.'],
    [{ Statement: [] }, 'The policy has an empty Statement list.'],
    [{ Statement: [{ Effect: 'Permit', Principal: '*', Action: 'sts:AssumeRole' }] }, 'Statement 1 has Effect the string "Permit"; expected "Allow" or "Deny".'],
    [{ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }, "Statement 1 names no Principal; a trust policy statement must say whom it trusts."],
    [{ Statement: [{ Effect: 'Allow', Principal: '*' }] }, 'Statement 1 must have exactly one of Action and NotAction.'],
    [
      { Statement: [{ Sid: 'X', Effect: 'Allow', Principal: { Users: 'bob' }, Action: 'sts:AssumeRole' }] },
      'Statement 1 ("X") Principal has the key "Users"; expected one of AWS, Service, Federated, CanonicalUser.',
    ],
    [
      { Statement: [{ Effect: 'Allow', Principal: { AWS: 42 }, Action: 'sts:AssumeRole' }] },
      'Statement 1 Principal AWS contains a number, not a string.',
    ],
    [
      { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: 'x' } }] },
      'Statement 1 Condition operator StringEquals holds the string "x", not an object of keys.',
    ],
    ['not json', 'The policy is a string that is not valid JSON.'],
  ])('reports %j as %s', (document, error) => {
    expect(parsePolicyDocument(document, trust)).toEqual({ ok: false, error });
  });
});

describe('condition operators', () => {
  it('splits set qualifiers, IfExists and the base operator case-insensitively', () => {
    expect(parseOperator('ForAnyValue:StringLike')).toMatchObject({ set: 'ForAnyValue', ifExists: false, base: { name: 'StringLike', like: true } });
    expect(parseOperator('forallvalues:stringequalsifexists')).toMatchObject({ set: 'ForAllValues', ifExists: true, base: { name: 'StringEquals' } });
    expect(parseOperator('BoolIfExists')).toMatchObject({ ifExists: true, base: { name: 'Bool', family: 'bool' } });
    expect(parseOperator('ArnNotLike').base).toMatchObject({ negated: true, like: true, family: 'arn' });
    expect(parseOperator('Frobnicate').base.family).toBe('unknown');
  });

  it('knows when a request without the key passes', () => {
    const absent = (operator: string, values = ['x']) => conditionTest({ operator, key: 'k', values }).absentPasses;
    expect(absent('StringEquals')).toBe(false);
    expect(absent('StringEqualsIfExists')).toBe(true);
    expect(absent('StringNotEquals')).toBe(true);
    expect(absent('ForAllValues:StringEquals')).toBe(true);
    expect(absent('ForAnyValue:StringEquals')).toBe(false);
    expect(absent('Null', ['true'])).toBe(true);
    expect(absent('Null', ['false'])).toBe(false);
  });

  it('reads a one-condition Deny as the opposite Allow condition', () => {
    const org = negateForDeny(conditionTest({ operator: 'StringNotEquals', key: 'aws:PrincipalOrgID', values: ['o-1'] }), { statementIndex: 1, label: 's2' });
    expect(org).toMatchObject({ base: 'StringEquals', negated: false, absentPasses: false });
    // Deny Bool MFA false lets requests without the key through; Deny BoolIfExists MFA false does not.
    const mfa = negateForDeny(conditionTest({ operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['false'] }), { statementIndex: 1, label: 's2' });
    expect(mfa).toMatchObject({ values: ['true'], absentPasses: true });
    const mfaStrict = negateForDeny(conditionTest({ operator: 'BoolIfExists', key: 'aws:MultiFactorAuthPresent', values: ['false'] }), { statementIndex: 1, label: 's2' });
    expect(mfaStrict).toMatchObject({ values: ['true'], absentPasses: false });
    expect(negateForDeny(conditionTest({ operator: 'ForAnyValue:StringEquals', key: 'k', values: ['v'] }), { statementIndex: 1, label: 's2' })).toBeUndefined();
  });
});

describe('assume actions', () => {
  it.each([
    [{ actions: ['sts:AssumeRole'] }, ['sts:AssumeRole']],
    [{ actions: ['STS:assumerole'] }, ['sts:AssumeRole']],
    [{ actions: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }, ['sts:AssumeRole']],
    [{ actions: ['sts:TagSession'] }, []],
    [{ actions: ['sts:*'] }, ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity']],
    [{ actions: ['sts:AssumeRoleWith*'] }, ['sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity']],
    [{ actions: ['*'] }, ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity']],
    [{ notActions: ['sts:AssumeRole'] }, ['sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity']],
  ])('%j covers %j', (statement, expected) => {
    expect(assumeActionsCovered(statement)).toEqual(expected);
  });
});

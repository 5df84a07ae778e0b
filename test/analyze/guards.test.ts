import { describe, expect, it } from 'vitest';
import { conditionTest } from '../../src/analyze/policy/conditions.js';
import { guardFromTest, guardKindOf } from '../../src/analyze/trust/guards.js';
import { ORG_ID } from './builders.js';

function guard(operator: string, key: string, values: string[]) {
  return guardFromTest(conditionTest({ operator, key, values }), { organizationId: ORG_ID });
}

const GH_SUB = 'token.actions.githubusercontent.com:sub';

describe('guard kinds', () => {
  it.each([
    ['sts:ExternalId', 'external-id'],
    ['STS:EXTERNALID', 'external-id'],
    ['aws:MultiFactorAuthPresent', 'mfa'],
    ['aws:multifactorauthage', 'mfa'],
    ['aws:PrincipalOrgID', 'principal-org-id'],
    ['aws:PrincipalOrgPaths', 'principal-org-paths'],
    ['aws:PrincipalAccount', 'principal-account'],
    ['aws:PrincipalArn', 'principal-arn'],
    ['aws:SourceAccount', 'source-account'],
    ['aws:SourceArn', 'source-arn'],
    ['aws:SourceOrgID', 'source-org-id'],
    ['token.actions.githubusercontent.com:sub', 'oidc-sub'],
    ['token.actions.githubusercontent.com:aud', 'oidc-aud'],
    ['oidc.eks.us-east-1.amazonaws.com/id/ABC:sub', 'oidc-sub'],
    ['accounts.google.com:oaud', 'oidc-aud'],
    ['SAML:aud', 'saml-aud'],
    ['aws:SourceIp', 'source-ip'],
    ['aws:SourceVpce', 'source-vpc'],
    ['aws:RequestTag/team', 'other'],
    ['sts:RoleSessionName', 'other'],
  ])('%s is %s', (key, kind) => {
    expect(guardKindOf(key.toLowerCase())).toBe(kind);
  });
});

describe('guard effectiveness', () => {
  it('GitHub sub pinned to one branch restricts', () => {
    expect(guard('StringEquals', GH_SUB, ['repo:acme/app:ref:refs/heads/main'])).toEqual({
      kind: 'oidc-sub',
      operator: 'StringEquals',
      key: GH_SUB,
      values: ['repo:acme/app:ref:refs/heads/main'],
      effective: true,
    });
  });

  it('GitHub sub "*" does not restrict', () => {
    expect(guard('StringLike', GH_SUB, ['*'])).toMatchObject({ effective: false, note: 'The pattern "*" matches any value.' });
  });

  it('GitHub sub "repo:*" and "repo:acme*" do not pin the owner; "repo:acme/*" does', () => {
    expect(guard('StringLike', GH_SUB, ['repo:*']).effective).toBe(false);
    const prefix = guard('StringLike', GH_SUB, ['repo:acme*']);
    expect(prefix.effective).toBe(false);
    expect(prefix.note).toBe('The pattern "repo:acme*" does not pin the owner: tokens of other GitHub Actions users match it.');
    expect(guard('StringLike', GH_SUB, ['repo:acme/*'])).toMatchObject({
      effective: true,
      note: '"repo:acme/*" admits any subject starting with "repo:acme/".',
    });
    expect(guard('ForAnyValue:StringLike', GH_SUB, ['repo:acme/app:*']).effective).toBe(true);
  });

  it('EKS service-account subjects must pin the namespace', () => {
    const key = 'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub';
    expect(guard('StringEquals', key, ['system:serviceaccount:payments:api']).effective).toBe(true);
    expect(guard('StringLike', key, ['system:serviceaccount:payments:*']).effective).toBe(true);
    expect(guard('StringLike', key, ['system:serviceaccount:*']).effective).toBe(false);
  });

  it('MFA: Bool true restricts; BoolIfExists, "false" and Null true do not', () => {
    expect(guard('Bool', 'aws:MultiFactorAuthPresent', ['true']).effective).toBe(true);
    expect(guard('BoolIfExists', 'aws:MultiFactorAuthPresent', ['true'])).toMatchObject({
      effective: false,
      note: 'BoolIfExists passes when the request carries no aws:MultiFactorAuthPresent.',
    });
    expect(guard('Bool', 'aws:MultiFactorAuthPresent', ['false'])).toMatchObject({
      effective: false,
      note: 'aws:MultiFactorAuthPresent "false" admits sessions without MFA; it is not an MFA requirement.',
    });
    expect(guard('NumericLessThan', 'aws:MultiFactorAuthAge', ['3600']).effective).toBe(true);
    expect(guard('NumericLessThanIfExists', 'aws:MultiFactorAuthAge', ['3600']).effective).toBe(false);
    expect(guard('Null', 'aws:MultiFactorAuthAge', ['false']).effective).toBe(true);
    expect(guard('Null', 'aws:MultiFactorAuthAge', ['true']).effective).toBe(false);
  });

  it('ExternalId: StringEquals restricts; IfExists, Null false, negation and "*" do not', () => {
    expect(guard('StringEquals', 'sts:ExternalId', ['a1b2c3']).effective).toBe(true);
    expect(guard('StringEqualsIfExists', 'sts:ExternalId', ['a1b2c3']).effective).toBe(false);
    expect(guard('Null', 'sts:ExternalId', ['false'])).toMatchObject({
      effective: false,
      note: 'Null "false" only requires sts:ExternalId to be present; any value passes.',
    });
    expect(guard('StringNotEquals', 'sts:ExternalId', ['x']).effective).toBe(false);
    expect(guard('StringLike', 'sts:ExternalId', ['*']).effective).toBe(false);
    expect(guard('ForAllValues:StringEquals', 'sts:ExternalId', ['a1b2c3'])).toMatchObject({
      effective: false,
      note: 'ForAllValues passes when the request carries no sts:ExternalId (an empty set).',
    });
  });

  it('SourceArn patterns must pin the account (or the bucket for S3)', () => {
    expect(guard('ArnLike', 'aws:SourceArn', ['arn:aws:s3:::acme-logs']).effective).toBe(true);
    expect(guard('ArnLike', 'aws:SourceArn', ['arn:aws:s3:::*']).effective).toBe(false);
    expect(guard('ArnLike', 'aws:SourceArn', ['arn:aws:sns:us-east-1:*:alerts']).effective).toBe(false);
    expect(guard('ArnLike', 'aws:SourceArn', ['arn:aws:config:*:111111111111:*']).effective).toBe(true);
    expect(guard('StringLike', 'aws:SourceAccount', ['1111*']).effective).toBe(false);
  });

  it('PrincipalOrgID naming another organization still restricts, with a note', () => {
    expect(guard('StringEquals', 'aws:PrincipalOrgID', [ORG_ID])).toMatchObject({ effective: true });
    expect(guard('StringEquals', 'aws:PrincipalOrgID', ['o-other'])).toMatchObject({
      effective: true,
      note: `Names o-other, not this organization (${ORG_ID}).`,
    });
    expect(guard('StringLike', 'aws:PrincipalOrgID', ['o-*']).effective).toBe(false);
  });

  it('identity guards say whether they admit only the organization, a vendor, or an unknown party', () => {
    const context = { organizationId: ORG_ID, accountId: '111111111111', orgAccountIds: new Set(['111111111111', '222222222222']), vendors: new Map([['464622532012', {}]]) };
    const party = (operator: string, key: string, values: string[]) => guardFromTest(conditionTest({ operator, key, values }), context).party;
    expect(party('StringEquals', 'aws:PrincipalOrgID', [ORG_ID])).toBe('inside');
    expect(party('StringEquals', 'aws:PrincipalOrgID', ['o-other'])).toBe('outside');
    expect(party('StringEquals', 'aws:PrincipalOrgID', [ORG_ID, 'o-other'])).toBe('outside');
    expect(party('ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', [`${ORG_ID}/r-ab12/ou-ab12-11111111/*`])).toBe('inside');
    expect(party('ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', ['o-other/r-ab12/*'])).toBe('outside');
    expect(party('StringEquals', 'aws:PrincipalAccount', ['222222222222'])).toBe('inside');
    expect(party('StringEquals', 'aws:PrincipalAccount', ['222222222222', '999988887777'])).toBe('outside');
    expect(party('StringEquals', 'aws:PrincipalAccount', ['464622532012'])).toBe('vendor');
    expect(party('ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::222222222222:role/ci-*'])).toBe('inside');
    expect(party('ArnEquals', 'aws:PrincipalArn', ['arn:aws:iam::999988887777:role/deployer'])).toBe('outside');
    // Not judged: a wildcard account, an ineffective guard, a key about neither the caller nor its source.
    expect(party('StringLike', 'aws:PrincipalAccount', ['9999*'])).toBeUndefined();
    expect(party('StringLike', 'aws:PrincipalOrgID', ['o-*'])).toBeUndefined();
    expect(party('StringEquals', 'sts:ExternalId', ['999988887777'])).toBeUndefined();
  });

  it('source guards name the party a service acts for', () => {
    const context = { organizationId: ORG_ID, accountId: '111111111111', orgAccountIds: new Set(['111111111111', '222222222222']), vendors: new Map([['464622532012', {}]]) };
    const party = (operator: string, key: string, values: string[]) => guardFromTest(conditionTest({ operator, key, values }), context).party;
    expect(party('StringEquals', 'aws:SourceAccount', ['111111111111'])).toBe('inside');
    expect(party('StringEquals', 'aws:SourceAccount', ['999988887777'])).toBe('outside');
    // One foreign value among own ones is foreign.
    expect(party('StringEquals', 'aws:SourceAccount', ['111111111111', '999988887777'])).toBe('outside');
    expect(party('StringEquals', 'aws:SourceOwner', ['464622532012'])).toBe('vendor');
    expect(party('ArnLike', 'aws:SourceArn', ['arn:aws:cloudtrail:us-east-1:999988887777:trail/*'])).toBe('outside');
    expect(party('ArnLike', 'aws:SourceArn', ['arn:aws:sns:*:222222222222:alerts'])).toBe('inside');
    // An S3 bucket ARN carries no account: nobody is named.
    expect(party('ArnLike', 'aws:SourceArn', ['arn:aws:s3:::logs-bucket'])).toBeUndefined();
    expect(party('StringEquals', 'aws:SourceOrgID', [ORG_ID])).toBe('inside');
    expect(party('StringEquals', 'aws:SourceOrgID', ['o-other'])).toBe('outside');
    expect(party('ForAnyValue:StringLike', 'aws:SourceOrgPaths', ['o-other/r-ab12/*'])).toBe('outside');
  });

  it('condition keys are case-insensitive; the key is kept as written', () => {
    expect(guard('stringequals', 'AWS:PRINCIPALORGID', [ORG_ID])).toMatchObject({ kind: 'principal-org-id', key: 'AWS:PRINCIPALORGID', effective: true });
  });

  it('source IP 0.0.0.0/0 admits everyone', () => {
    expect(guard('IpAddress', 'aws:SourceIp', ['0.0.0.0/0']).effective).toBe(false);
    expect(guard('IpAddress', 'aws:SourceIp', ['203.0.113.0/24']).effective).toBe(true);
  });
});

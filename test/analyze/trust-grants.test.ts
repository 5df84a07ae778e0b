import { describe, expect, it } from 'vitest';
import { analyzeTrustPolicy } from '../../src/analyze/trust/grants.js';
import { vendorIndex } from '../../src/analyze/vendors.js';
import { ACCOUNT, DATADOG, EXTERNAL, ORG_ACCOUNT, ORG_ID, VENDORS, allow, deny, policy, role } from './builders.js';
import type { PolicyDocumentField } from '../../src/model/snapshot.js';

const context = { accountId: ACCOUNT, orgAccountIds: new Set([ACCOUNT, ORG_ACCOUNT]), vendors: vendorIndex(VENDORS), organizationId: ORG_ID };

function grantsOf(trust: PolicyDocumentField) {
  return analyzeTrustPolicy(role('r', trust), context);
}

describe('trust grants', () => {
  it('one grant per principal of each Allow statement, with a stable id', () => {
    const { grants } = grantsOf(
      policy(
        allow({ AWS: [`arn:aws:iam::${ORG_ACCOUNT}:root`, `arn:aws:iam::${EXTERNAL}:role/ci`] }, { Sid: 'Cross' }),
        allow({ Service: 'lambda.amazonaws.com' }, { Action: ['sts:AssumeRole', 'sts:TagSession'] }),
      ),
    );
    expect(grants.map((g) => [g.id, g.principal.class, g.principal.kind, g.sid, g.actions, g.assumeActions])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:role/r#0#arn:aws:iam::${ORG_ACCOUNT}:root`, 'org-account', 'account', 'Cross', ['sts:AssumeRole'], ['sts:AssumeRole']],
      [`arn:aws:iam::${ACCOUNT}:role/r#0#arn:aws:iam::${EXTERNAL}:role/ci`, 'external', 'role', 'Cross', ['sts:AssumeRole'], ['sts:AssumeRole']],
      [`arn:aws:iam::${ACCOUNT}:role/r#1#lambda.amazonaws.com`, 'service', 'service', undefined, ['sts:AssumeRole', 'sts:TagSession'], ['sts:AssumeRole']],
    ]);
  });

  it('a statement that only allows sts:TagSession grants nothing', () => {
    expect(grantsOf(policy(allow({ AWS: EXTERNAL }, { Action: 'sts:TagSession' }))).grants).toEqual([]);
  });

  it('a SAML provider only gets AssumeRoleWithSAML, even under sts:*', () => {
    const { grants } = grantsOf(policy(allow({ Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta` }, { Action: 'sts:*' })));
    expect(grants[0]?.assumeActions).toEqual(['sts:AssumeRoleWithSAML']);
  });

  it('keeps the Condition block as written and judges each guard', () => {
    const { grants } = grantsOf(
      policy(
        allow(
          { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:*' },
            },
          },
        ),
      ),
    );
    expect(grants[0]?.conditions).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': ['sts.amazonaws.com'] },
      StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/app:*'] },
    });
    expect(grants[0]?.guards.map((g) => [g.kind, g.effective])).toEqual([
      ['oidc-aud', true],
      ['oidc-sub', true],
    ]);
  });

  it('an unconditional Deny on the same principal negates the grant', () => {
    const { grants } = grantsOf(
      policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` }), deny({ AWS: EXTERNAL }, { Sid: 'Offboarded' })),
    );
    expect(grants[0]?.negatedBy).toBe('statement 2 ("Offboarded") (Deny)');
  });

  it('a Deny on an account negates grants to its roles; Deny "*" negates everything', () => {
    const byAccount = grantsOf(policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:role/ci` }), deny({ AWS: `arn:aws:iam::${EXTERNAL}:root` })));
    expect(byAccount.grants[0]?.negatedBy).toBe('statement 2 (Deny)');
    const all = grantsOf(policy(allow({ Service: 's3.amazonaws.com' }), deny('*', { Action: 'sts:*' })));
    expect(all.grants[0]?.negatedBy).toBe('statement 2 (Deny)');
  });

  it('a Deny on another principal or another action leaves the grant alone', () => {
    const other = grantsOf(policy(allow({ AWS: EXTERNAL }), deny({ AWS: ORG_ACCOUNT })));
    expect(other.grants[0]?.negatedBy).toBeUndefined();
    const otherAction = grantsOf(policy(allow({ AWS: EXTERNAL }), deny({ AWS: EXTERNAL }, { Action: 'sts:TagSession' })));
    expect(otherAction.grants[0]?.negatedBy).toBeUndefined();
  });

  it('a Deny covering one of two assume actions removes only that action', () => {
    const { grants } = grantsOf(
      policy(allow('*', { Action: ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity'] }), deny('*', { Action: 'sts:AssumeRole' })),
    );
    expect(grants[0]?.negatedBy).toBeUndefined();
    expect(grants[0]?.assumeActions).toEqual(['sts:AssumeRoleWithWebIdentity']);
  });

  it('"Deny unless PrincipalOrgID" becomes an effective org guard on a public grant', () => {
    const { grants } = grantsOf(
      policy(allow({ AWS: '*' }), deny({ AWS: '*' }, { Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG_ID } } })),
    );
    expect(grants[0]?.guards).toEqual([
      {
        kind: 'principal-org-id',
        operator: 'StringNotEquals',
        key: 'aws:PrincipalOrgID',
        values: [ORG_ID],
        effective: true,
        note: 'Enforced by statement 2 (Deny), which denies requests that fail it.',
        party: 'inside',
      },
    ]);
  });

  it('the "unless an AWS service" clause of that Deny is read away for AWS principals', () => {
    const { grants } = grantsOf(
      policy(
        allow({ AWS: '*' }),
        deny('*', {
          Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG_ID }, Bool: { 'aws:PrincipalIsAWSService': 'false' } },
        }),
      ),
    );
    // StringNotEqualsIfExists in a Deny also denies callers with no org at all: AWS's recommended form.
    expect(grants[0]?.guards.map((g) => [g.kind, g.effective])).toEqual([['principal-org-id', true]]);
  });

  it('"Deny when MFA is false" lets long-term keys through; "Deny BoolIfExists false" does not', () => {
    const weak = grantsOf(policy(allow({ AWS: ORG_ACCOUNT }), deny('*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })));
    expect(weak.grants[0]?.guards).toEqual([
      {
        kind: 'mfa',
        operator: 'Bool',
        key: 'aws:MultiFactorAuthPresent',
        values: ['false'],
        effective: false,
        note: 'Enforced by statement 2 (Deny), which denies requests that fail it. The Deny applies only when aws:MultiFactorAuthPresent is present, so requests without it pass.',
      },
    ]);
    const strict = grantsOf(policy(allow({ AWS: ORG_ACCOUNT }), deny('*', { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })));
    expect(strict.grants[0]?.guards.map((g) => [g.kind, g.effective])).toEqual([['mfa', true]]);
  });

  it('a Deny with several live conditions yields guards that do not restrict on their own', () => {
    const { grants } = grantsOf(
      policy(
        allow({ AWS: EXTERNAL }),
        deny({ AWS: EXTERNAL }, { Condition: { StringNotEquals: { 'sts:ExternalId': 'vendor-id' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
      ),
    );
    expect(grants[0]?.guards.map((g) => [g.kind, g.effective])).toEqual([
      ['external-id', false],
      ['source-ip', false],
    ]);
  });

  it('Deny with NotPrincipal negates grants outside the spared list and narrows broad ones', () => {
    const { grants } = grantsOf(
      policy(
        allow({ AWS: [`arn:aws:iam::${EXTERNAL}:root`, `arn:aws:iam::${ORG_ACCOUNT}:root`] }),
        { Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ORG_ACCOUNT}:root`, `arn:aws:iam::${EXTERNAL}:role/ci`] }, Action: 'sts:AssumeRole' },
      ),
    );
    const external = grants.find((g) => g.principal.accountId === EXTERNAL);
    const org = grants.find((g) => g.principal.accountId === ORG_ACCOUNT);
    expect(org?.negatedBy).toBeUndefined();
    expect(external?.negatedBy).toBeUndefined();
    expect(external?.guards).toEqual([
      {
        kind: 'principal-arn',
        operator: 'NotPrincipal',
        key: 'NotPrincipal',
        values: [`arn:aws:iam::${EXTERNAL}:role/ci`],
        effective: true,
        note: 'Enforced by statement 2 (Deny), which denies every principal but these.',
        party: 'outside',
      },
    ]);
    const negated = grantsOf(policy(allow({ AWS: DATADOG }), { Effect: 'Deny', NotPrincipal: { AWS: ORG_ACCOUNT }, Action: 'sts:AssumeRole' }));
    expect(negated.grants[0]?.negatedBy).toBe('statement 2 (Deny)');
  });

  it('Allow with NotPrincipal is a public grant', () => {
    const { grants } = grantsOf(policy({ Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${EXTERNAL}:root` }, Action: 'sts:AssumeRole' }));
    expect(grants[0]?.principal).toMatchObject({ class: 'public', kind: 'wildcard', raw: `NotPrincipal: arn:aws:iam::${EXTERNAL}:root` });
  });

  it('a malformed or undecodable trust policy becomes an error, not a throw', () => {
    expect(grantsOf(policy({ Effect: 'Allow', Action: 'sts:AssumeRole' }))).toEqual({
      grants: [],
      error: 'The trust policy is malformed: Statement 1 names no Principal; a trust policy statement must say whom it trusts.',
    });
    expect(grantsOf({ ok: false, raw: '%7B%22Vers', error: 'Unexpected end of JSON input' })).toEqual({
      grants: [],
      error: 'The trust policy could not be decoded: Unexpected end of JSON input',
    });
  });
});

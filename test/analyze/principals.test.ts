import { describe, expect, it } from 'vitest';
import type { PrincipalEntry } from '../../src/analyze/policy/document.js';
import { classifyPrincipal } from '../../src/analyze/trust/principals.js';
import { vendorIndex, parseVendorList } from '../../src/analyze/vendors.js';
import { ACCOUNT, DATADOG, EXTERNAL, ORG_ACCOUNT, VENDORS } from './builders.js';

const context = { accountId: ACCOUNT, orgAccountIds: new Set([ACCOUNT, ORG_ACCOUNT]), vendors: vendorIndex(VENDORS) };

function classify(type: PrincipalEntry['type'], value: string) {
  const { type: _t, raw: _r, ...rest } = classifyPrincipal({ type, value }, context);
  return rest;
}

describe('classifyPrincipal', () => {
  it.each<[PrincipalEntry['type'], string, object]>([
    ['*', '*', { kind: 'wildcard', class: 'public', label: 'Anyone (every AWS account, public)' }],
    ['AWS', '*', { kind: 'wildcard', class: 'public' }],
    ['AWS', ACCOUNT, { kind: 'account', class: 'same-account', accountId: ACCOUNT, label: `This account ${ACCOUNT} (any principal)` }],
    ['AWS', `arn:aws:iam::${ORG_ACCOUNT}:root`, { kind: 'account', class: 'org-account', accountId: ORG_ACCOUNT, label: `Organization account ${ORG_ACCOUNT} (any principal)` }],
    ['AWS', `arn:aws:iam::${EXTERNAL}:root`, { kind: 'account', class: 'external', accountId: EXTERNAL, label: `External account ${EXTERNAL} (any principal)` }],
    [
      'AWS',
      `arn:aws:iam::${DATADOG}:root`,
      {
        kind: 'account',
        class: 'known-vendor',
        accountId: DATADOG,
        vendor: { name: 'Datadog', source: 'https://docs.datadoghq.com/integrations/guide/aws-manual-setup/' },
        label: `Datadog, account ${DATADOG} (any principal)`,
      },
    ],
    ['AWS', `arn:aws:iam::${EXTERNAL}:role/team/deploy`, { kind: 'role', class: 'external', accountId: EXTERNAL, label: `Role deploy in external account ${EXTERNAL}` }],
    ['AWS', `arn:aws:iam::${ORG_ACCOUNT}:user/alice`, { kind: 'user', class: 'org-account', label: `User alice in organization account ${ORG_ACCOUNT}` }],
    ['AWS', `arn:aws:sts::${EXTERNAL}:assumed-role/ci/build-42`, { kind: 'assumed-role', class: 'external', label: `Session build-42 of role ci in external account ${EXTERNAL}` }],
    ['AWS', `arn:aws:sts::${EXTERNAL}:federated-user/bob`, { kind: 'federated-user', class: 'external' }],
    ['AWS', 'AROA3XFRBF535PLBIFPI4', { kind: 'unique-id', class: 'deleted', label: 'Deleted role (unique id AROA3XFRBF535PLBIFPI4)' }],
    ['AWS', 'AIDAJQABLZS4A3QDU576Q', { kind: 'unique-id', class: 'deleted', label: 'Deleted user (unique id AIDAJQABLZS4A3QDU576Q)' }],
    ['AWS', 'arn:aws:iam::*:root', { kind: 'invalid', class: 'unknown' }],
    ['AWS', `arn:aws:iam::${EXTERNAL}:group/admins`, { kind: 'invalid', class: 'unknown' }],
    ['AWS', 'arn:aws-cn:iam::123456789012:root', { kind: 'account', class: 'external', accountId: '123456789012' }],
    ['Service', 'ec2.amazonaws.com', { kind: 'service', class: 'service', label: 'AWS service ec2.amazonaws.com' }],
    [
      'Federated',
      `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
      { kind: 'oidc-provider', class: 'federated-oidc', accountId: ACCOUNT, label: 'GitHub Actions OIDC (token.actions.githubusercontent.com)' },
    ],
    [
      'Federated',
      `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789`,
      { kind: 'oidc-provider', class: 'federated-oidc', label: 'Amazon EKS cluster OIDC (oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789)' },
    ],
    ['Federated', 'cognito-identity.amazonaws.com', { kind: 'oidc-provider', class: 'federated-oidc' }],
    ['Federated', `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`, { kind: 'saml-provider', class: 'federated-saml', label: `SAML provider Okta in account ${ACCOUNT}` }],
    ['Federated', 'example.com', { kind: 'invalid', class: 'unknown' }],
    ['CanonicalUser', '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', { kind: 'canonical-user', class: 'unknown' }],
  ])('%s %s', (type, value, expected) => {
    expect(classify(type, value)).toMatchObject(expected);
  });

  it('never matches an account id as a substring of another principal', () => {
    // 111111111111 is the reviewed account; this ARN merely contains those digits in its role name.
    const principal = classifyPrincipal({ type: 'AWS', value: `arn:aws:iam::${EXTERNAL}:role/copy-of-111111111111` }, context);
    expect(principal.class).toBe('external');
  });
});

describe('vendors', () => {
  it('indexes by account id, later entries winning', () => {
    const index = vendorIndex([
      { accountId: DATADOG, name: 'Datadog', source: 'https://a' },
      { accountId: DATADOG, name: 'Datadog EU', source: 'https://b' },
      { accountId: 'not-an-id', name: 'x', source: 'https://c' },
    ]);
    expect([...index.keys()]).toEqual([DATADOG]);
    expect(index.get(DATADOG)?.name).toBe('Datadog EU');
  });

  it('validates the shipped list shape', () => {
    expect(parseVendorList({ vendors: [{ accountId: DATADOG, name: 'Datadog', source: 'https://x' }] })).toEqual({
      ok: true,
      vendors: [{ accountId: DATADOG, name: 'Datadog', source: 'https://x' }],
    });
    expect(parseVendorList([{ accountId: '123', name: 'x', source: 'https://x' }])).toEqual({ ok: false, error: 'vendor 1 has no 12-digit accountId' });
    expect(parseVendorList([{ accountId: DATADOG, name: 'Datadog', source: 'docs' }])).toEqual({
      ok: false,
      error: `vendor ${DATADOG} (Datadog) has no source URL`,
    });
  });
});

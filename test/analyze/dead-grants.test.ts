import { describe, expect, it } from 'vitest';
import { analyzeTrustPolicy } from '../../src/analyze/trust/grants.js';
import { vendorIndex } from '../../src/analyze/vendors.js';
import { summarizePermissions } from '../../src/analyze/permissions/index.js';
import { policyDeadGrant } from '../../src/analyze/rules/policy-dead-grant.js';
import { ACCOUNT, EXTERNAL, NOW, ORG_ACCOUNT, ORG_ID, VENDORS, allow, deny, policy, role } from './builders.js';
import { fixtureCatalog } from './permissions/fixture-catalog.js';
import { inline } from './permissions/policies.js';
import type { PolicyDocumentField } from '../../src/model/snapshot.js';

const context = { accountId: ACCOUNT, orgAccountIds: new Set([ACCOUNT, ORG_ACCOUNT]), vendors: vendorIndex(VENDORS), organizationId: ORG_ID, now: NOW };

function only(trust: PolicyDocumentField) {
  const { grants } = analyzeTrustPolicy(role('r', trust), context);
  expect(grants).toHaveLength(1);
  return grants[0]!;
}

const vendorRole = `arn:aws:iam::${EXTERNAL}:role/vendor`;

describe('dead grants: a condition no caller through the principal can satisfy', () => {
  it('an sts:ExternalId STS would refuse (too short, too long, a forbidden character) admits nobody and is no guard', () => {
    for (const value of ['x', 'a'.repeat(1225), 'has space']) {
      const grant = only(policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'sts:ExternalId': value } } })));
      expect(grant.negatedBy).toContain('sts:ExternalId');
      expect(grant.dead).toContain('STS accepts an external id of 2 to 1,224 characters');
      expect(grant.guards[0]?.effective).toBe(false);
    }
  });

  it('a valid external id, at either length limit, stays a live guard (look-alike)', () => {
    for (const value of ['ab', 'a'.repeat(1224), 'Acme+Id=1,2.3@x:y/z-w_9']) {
      const grant = only(policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'sts:ExternalId': value } } })));
      expect(grant.negatedBy).toBeUndefined();
      expect(grant.dead).toBeUndefined();
      expect(grant.guards[0]).toMatchObject({ kind: 'external-id', effective: true });
    }
  });

  it("aws:PrincipalOrgID naming the owner's organization on a principal outside it is dead; inside it is not", () => {
    const outside = only(policy(allow({ AWS: `arn:aws:iam::${EXTERNAL}:root` }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } })));
    expect(outside.dead).toContain(`is in an account outside the organization, so aws:PrincipalOrgID StringEquals "${ORG_ID}" never holds`);
    expect(outside.guards[0]?.effective).toBe(false);
    const inside = only(policy(allow({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:root` }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } })));
    expect(inside.dead).toBeUndefined();
    expect(inside.negatedBy).toBeUndefined();
    // Principal "*" with the org pin is the documented way to admit the organization: alive.
    const everyone = only(policy(allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } })));
    expect(everyone.dead).toBeUndefined();
  });

  it("aws:PrincipalAccount pinning the owner's account on another account's role is dead; the role's own account is no restriction", () => {
    const pinned = only(policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } })));
    expect(pinned.dead).toContain(`calls as ${EXTERNAL}`);
    const own = only(policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'aws:PrincipalAccount': EXTERNAL } } })));
    expect(own.dead).toBeUndefined();
    expect(own.guards[0]?.effective).toBe(false);
  });

  it('aws:SourceAccount or aws:SourceArn on a principal that is not a service is dead; on a service it guards', () => {
    const onRole = only(policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } })));
    expect(onRole.dead).toContain('only when an AWS service acts for a resource');
    const onOidc = only(
      policy(
        allow(
          { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
          { Action: 'sts:AssumeRoleWithWebIdentity', Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/*` } } },
        ),
      ),
    );
    expect(onOidc.dead).toBeDefined();
    const onService = only(policy(allow({ Service: 'lambda.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } })));
    expect(onService.dead).toBeUndefined();
    expect(onService.guards[0]).toMatchObject({ kind: 'source-account', effective: true });
    // StringNotEquals on an absent key holds: no dead grant, and no guard either.
    const negated = only(policy(allow({ AWS: vendorRole }, { Condition: { StringNotEquals: { 'aws:SourceAccount': ACCOUNT } } })));
    expect(negated.dead).toBeUndefined();
  });

  it('a Deny "unless in my organization" takes away an outside principal\'s grant', () => {
    const { grants } = analyzeTrustPolicy(
      role('r', policy(allow({ AWS: vendorRole }), deny({ AWS: '*' }, { Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG_ID } } }))),
      context,
    );
    expect(grants[0]?.negatedBy).toContain('Deny');
    expect(grants[0]?.dead).toBeUndefined();
  });

  it('a role policy whose only Resource is built on ${aws:username} grants a role session nothing', () => {
    const summary = summarizePermissions(
      [
        inline('home', {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Home', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' },
            { Sid: 'Defaulted', Effect: 'Allow', Action: 's3:PutObject', Resource: "arn:aws:s3:::home/${aws:username, 'shared'}/*" },
          ],
        }),
      ],
      fixtureCatalog,
      undefined,
      { now: NOW },
    );
    expect(summary.deadStatements).toEqual([
      {
        policy: 'home',
        statement: 0,
        label: 'Policy home statement 1 ("Home")',
        reason: 'its Resource uses ${aws:username}, which a role session never carries, so IAM matches no resource there',
      },
    ]);
    expect(summary.caveats?.some((c) => c.includes('never applies'))).toBe(true);
  });

  it('the dead-grant rule reports trust and permission dead grants as info, never as exposure', () => {
    const record = role('vendor-typo', policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'sts:ExternalId': 'x' } } })));
    const { grants } = analyzeTrustPolicy(record, context);
    const hits = policyDeadGrant.evaluate({
      accounts: [{ roles: [{ record, review: { accountId: ACCOUNT, trustGrants: grants, permissions: { deadStatements: [] } } }] }],
    } as never);
    expect(policyDeadGrant.meta.severity).toBe('info');
    expect(hits).toHaveLength(1);
    expect(hits[0]?.message).toContain('admits nobody');
  });
});

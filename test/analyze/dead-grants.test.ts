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

  it("aws:PrincipalOrgPaths naming a path of the owner's organization on a principal outside it is dead; inside, on everyone, or naming another organization it is not", () => {
    const path = `${ORG_ID}/r-ab12/ou-ab12-11111111/*`;
    const pin = (principal: unknown, value = path) =>
      only(policy(allow(principal, { Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': value } } })));
    const outside = pin({ AWS: vendorRole });
    expect(outside.dead).toContain(`is in an account outside the organization, whose paths never start with its id, so aws:PrincipalOrgPaths ForAnyValue:StringLike "${path}" never holds`);
    expect(outside.negatedBy).toContain('aws:PrincipalOrgPaths');
    expect(outside.guards[0]?.effective).toBe(false);
    // StringEquals on the exact path is the same pin.
    const exact = only(policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'aws:PrincipalOrgPaths': `${ORG_ID}/r-ab12/` } } })));
    expect(exact.dead).toBeDefined();
    // Look-alikes that stay alive: a member account, Principal "*", a path of some other organization (the
    // outside account may belong to it), a pattern whose organization part has a wildcard, and IfExists.
    expect(pin({ AWS: `arn:aws:iam::${ORG_ACCOUNT}:root` }).dead).toBeUndefined();
    expect(pin({ AWS: '*' }).dead).toBeUndefined();
    const foreign = pin({ AWS: vendorRole }, 'o-zzzzzzzzzz/r-zz99/*');
    expect(foreign.dead).toBeUndefined();
    expect(foreign.guards[0]).toMatchObject({ kind: 'principal-org-paths', effective: true, party: 'outside' });
    expect(pin({ AWS: vendorRole }, `${ORG_ID.slice(0, 6)}*/r-ab12/*`).dead).toBeUndefined();
    const ifExists = only(policy(allow({ AWS: vendorRole }, { Condition: { StringLikeIfExists: { 'aws:PrincipalOrgPaths': path } } })));
    expect(ifExists.dead).toBeUndefined();
  });

  it('a policy variable the caller never carries makes a positive condition on it dead: ${aws:username} for a role, a federated user, an OIDC or SAML caller', () => {
    const sessionNamed = (principal: unknown, value = '${aws:username}', action = 'sts:AssumeRole') =>
      only(policy(allow(principal, { Action: action, Condition: { StringEquals: { 'sts:RoleSessionName': value } } })));
    const fromRole = sessionNamed({ AWS: vendorRole });
    expect(fromRole.dead).toContain('carries no aws:username (IAM sets it only for IAM users): the policy variable ${aws:username} has no value');
    expect(fromRole.dead).toContain('sts:RoleSessionName StringEquals "${aws:username}" never holds');
    expect(fromRole.guards[0]?.effective).toBe(false);
    expect(sessionNamed({ AWS: `arn:aws:sts::${EXTERNAL}:federated-user/bob` }).dead).toContain('Federated user bob');
    const oidc = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    expect(sessionNamed({ Federated: oidc }, '${aws:username}', 'sts:AssumeRoleWithWebIdentity').dead).toBeDefined();
    expect(sessionNamed({ Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/okta` }, '${aws:username}', 'sts:AssumeRoleWithSAML').dead).toBeDefined();
    // Look-alikes: an IAM user carries its name, an account root may sign as a user, a default stands in for
    // the missing value, ${aws:userid} exists for every AWS caller, and one literal value among the variables keeps it alive.
    expect(sessionNamed({ AWS: `arn:aws:iam::${EXTERNAL}:user/bob` }).dead).toBeUndefined();
    expect(sessionNamed({ AWS: `arn:aws:iam::${EXTERNAL}:root` }).dead).toBeUndefined();
    expect(sessionNamed({ AWS: vendorRole }, "${aws:username, 'ci'}").dead).toBeUndefined();
    expect(sessionNamed({ AWS: vendorRole }, '${aws:userid}').dead).toBeUndefined();
    const mixed = only(policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'sts:RoleSessionName': ['${aws:username}', 'deploy'] } } })));
    expect(mixed.dead).toBeUndefined();
    expect(mixed.negatedBy).toBeUndefined();
    // A negated operator on a missing variable is not documented: left as written, not dead.
    const negated = only(policy(allow({ AWS: vendorRole }, { Condition: { StringNotEquals: { 'sts:RoleSessionName': '${aws:username}' } } })));
    expect(negated.dead).toBeUndefined();
  });

  it('claims of another federation are dead: saml: keys or ${saml:...} on an OIDC principal, another issuer\'s claims', () => {
    const github = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const web = (condition: Record<string, Record<string, string>>) =>
      only(policy(allow({ Federated: github }, { Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition })));
    const samlKey = web({ StringEquals: { 'saml:aud': 'https://signin.aws.amazon.com/saml' } });
    expect(samlKey.dead).toContain('is not a SAML provider, and saml: keys are only in AssumeRoleWithSAML requests, so saml:aud StringEquals');
    const samlVariable = web({ StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/${saml:sub}:ref:refs/heads/main' } });
    expect(samlVariable.dead).toContain('the policy variable ${saml:sub} has no value');
    const otherIssuer = web({ StringEquals: { 'accounts.google.com:sub': '1234567890' } });
    expect(otherIssuer.dead).toContain('presents token.actions.githubusercontent.com tokens, which carry no accounts.google.com claims');
    const onRole = only(policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' } } })));
    expect(onRole.dead).toContain('is not an OIDC provider');
    // Look-alikes: the provider's own claims (any case of the host) and saml: keys on a SAML provider.
    const own = web({ StringEquals: { 'Token.Actions.GitHubUserContent.com:sub': 'repo:acme/app:ref:refs/heads/main' } });
    expect(own.dead).toBeUndefined();
    expect(own.guards[0]).toMatchObject({ kind: 'oidc-sub', effective: true });
    const saml = only(
      policy(allow({ Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/okta` }, { Action: 'sts:AssumeRoleWithSAML', Condition: { StringEquals: { 'saml:aud': 'https://signin.aws.amazon.com/saml' } } })),
    );
    expect(saml.dead).toBeUndefined();
    // A tag key with dots and colons is an aws: key, not an issuer's claim.
    const tagged = only(policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'aws:PrincipalTag/app.team:x': 'payments' } } })));
    expect(tagged.dead).toBeUndefined();
  });

  it("a role policy whose condition compares with ${aws:username} grants a role session nothing; ${aws:userid} and defaults resolve", () => {
    const summary = summarizePermissions(
      [
        inline('home', {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'ListHome', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::home', Condition: { StringLike: { 's3:prefix': 'home/${aws:username}/*' } } },
            { Sid: 'ListById', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::home', Condition: { StringLike: { 's3:prefix': 'home/${aws:userid}/*' } } },
            { Sid: 'ListDefault', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::home', Condition: { StringLike: { 's3:prefix': "home/${aws:username, 'shared'}/*" } } },
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
        label: 'Policy home statement 1 ("ListHome")',
        reason: 'its condition s3:prefix StringLike home/${aws:username}/* uses ${aws:username}, which a role session never carries, so no value matches',
      },
    ]);
  });

  it('aws:userid has a shape fixed by who calls: a role session is AROA…:name, a user AIDA…, a federated user account:name', () => {
    const pinned = (principal: unknown, value: string, operator = 'StringLike') => only(policy(allow(principal, { Condition: { [operator]: { 'aws:userid': value } } })));
    const userShapeOnRole = pinned({ AWS: vendorRole }, 'AIDA*');
    expect(userShapeOnRole.dead).toContain('calls with aws:userid of the form role-id:session-name (AROA…:…), so aws:userid StringLike "AIDA*" never holds');
    expect(userShapeOnRole.guards[0]?.effective).toBe(false);
    expect(pinned({ AWS: `arn:aws:iam::${EXTERNAL}:user/bob` }, 'AROA*').dead).toContain('of the form the user id (AIDA…)');
    expect(pinned({ AWS: `arn:aws:iam::${EXTERNAL}:user/bob` }, 'AROAEXAMPLE', 'StringEquals').dead).toBeDefined();
    expect(pinned({ AWS: `arn:aws:sts::${EXTERNAL}:federated-user/bob` }, `${ACCOUNT}:*`).dead).toContain(`(${EXTERNAL}:…)`);
    // Look-alikes: the right shape (a session of some role id, any user id), an account root (any caller in
    // it), a pattern that does not contradict the shape, and a negated test, which any session passes.
    expect(pinned({ AWS: vendorRole }, 'AROAEXAMPLEID:*').dead).toBeUndefined();
    expect(pinned({ AWS: vendorRole }, '*:ci-*').dead).toBeUndefined();
    expect(pinned({ AWS: `arn:aws:iam::${EXTERNAL}:user/bob` }, 'AIDAEXAMPLE', 'StringEquals').dead).toBeUndefined();
    expect(pinned({ AWS: `arn:aws:iam::${EXTERNAL}:root` }, 'AIDA*').dead).toBeUndefined();
    const negated = pinned({ AWS: vendorRole }, 'AIDA*', 'StringNotLike');
    expect(negated.dead).toBeUndefined();
    expect(negated.guards[0]?.effective).toBe(false);
  });

  it('a role policy conditioned on a user name or a user-shaped aws:userid grants the role nothing', () => {
    const summary = summarizePermissions(
      [
        inline('people', {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Bob', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:username': 'bob' } } },
            { Sid: 'Users', Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { StringLike: { 'aws:userid': 'AIDA*' } } },
            { Sid: 'Sessions', Effect: 'Allow', Action: 's3:DeleteObject', Resource: '*', Condition: { StringLike: { 'aws:userid': 'AROA*:ci-*' } } },
          ],
        }),
      ],
      fixtureCatalog,
      undefined,
      { now: NOW },
    );
    expect(summary.deadStatements?.map((d) => [d.label, d.reason])).toEqual([
      ['Policy people statement 1 ("Bob")', 'its condition aws:username StringEquals bob tests aws:username, which a role session never carries, so it never holds'],
      ['Policy people statement 2 ("Users")', 'its condition aws:userid StringLike AIDA* tests aws:userid, which for a role session has the form role-id:session-name (AROA…:…), so it never holds'],
    ]);
  });

  it('a role policy statement whose time window has closed is a dead statement; one not yet open is not (look-alike)', () => {
    const summary = summarizePermissions(
      [
        inline('windows', {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Closed', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } },
            { Sid: 'ClosedEpoch', Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { NumericLessThan: { 'aws:EpochTime': '1577836800' } } },
            { Sid: 'OldSessions', Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } } },
            { Sid: 'NotYet', Effect: 'Allow', Action: 's3:DeleteObject', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2027-06-01T00:00:00Z' } } },
            { Sid: 'Open', Effect: 'Allow', Action: 's3:GetBucketPolicy', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2027-06-01T00:00:00Z' } } },
            { Sid: 'ClosedDeny', Effect: 'Deny', Action: 's3:GetObject', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } },
          ],
        }),
      ],
      fixtureCatalog,
      undefined,
      { now: NOW },
    );
    // Only Allow statements are dead grants; the expired Deny and the statement not yet in force are notes.
    expect(summary.deadStatements?.map((d) => [d.label, d.reason])).toEqual([
      ['Policy windows statement 1 ("Closed")', 'its condition aws:CurrentTime DateLessThan 2020-01-01T00:00:00Z is a time window that had closed by the review (2026-11-25T06:00:00.000Z), and time only moves on'],
      ['Policy windows statement 2 ("ClosedEpoch")', 'its condition aws:EpochTime NumericLessThan 1577836800 is a time window that had closed by the review (2026-11-25T06:00:00.000Z), and time only moves on'],
      ['Policy windows statement 3 ("OldSessions")', 'its condition aws:TokenIssueTime DateLessThan 2020-01-01T00:00:01Z admits only sessions issued in a window that had closed by the review (2026-11-25T06:00:00.000Z): no live session was, and none will be'],
    ]);
    expect(summary.caveats?.some((c) => c.includes('"NotYet"') && c.includes('does not apply at review time'))).toBe(true);
    // `now` is the analysis's: the same window reviewed in 2019 is open, not dead.
    const earlier = summarizePermissions(
      [inline('windows', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }] })],
      fixtureCatalog,
      undefined,
      { now: new Date('2019-06-01T00:00:00Z') },
    );
    expect(earlier.deadStatements).toBeUndefined();
  });

  it('a value built on a variable is compared after substitution, never as its literal text', () => {
    // Literally "${aws:PrincipalTag/ext}" is no external id STS accepts, but the request fills it in.
    const tagged = only(policy(allow({ AWS: vendorRole }, { Condition: { StringEquals: { 'sts:ExternalId': '${aws:PrincipalTag/ext}' } } })));
    expect(tagged.dead).toBeUndefined();
    expect(tagged.negatedBy).toBeUndefined();
    // aws:ResourceAccount in a trust policy is the role's account: the pin holds for the own account and is dead for another.
    const sameAccount = (principal: string) => only(policy(allow({ AWS: principal }, { Condition: { StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } } })));
    expect(sameAccount(`arn:aws:iam::${ACCOUNT}:root`).dead).toBeUndefined();
    expect(sameAccount(`arn:aws:iam::${ACCOUNT}:root`).guards[0]?.effective).toBe(false);
    expect(sameAccount(vendorRole).dead).toContain(`calls as ${EXTERNAL}`);
    // aws:ResourceOrgID is the role's organization: an outside principal can never match it; no party is read off the text.
    const sameOrg = (principal: string) => only(policy(allow({ AWS: principal }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' } } })));
    expect(sameOrg(vendorRole).dead).toContain('outside the organization');
    const member = sameOrg(`arn:aws:iam::${ORG_ACCOUNT}:root`);
    expect(member.dead).toBeUndefined();
    expect(member.guards[0]?.party).toBeUndefined();
    expect(member.guards[0]?.note ?? '').not.toContain('not this organization');
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

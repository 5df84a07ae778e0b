import { describe, expect, it } from 'vitest';
import { generateOrg, KNOWN_VENDORS, type Json, type SyntheticOrg, type SyntheticRole } from '../../src/emulator/synthetic-org.js';
import { FIXED_NOW } from './helpers.js';

const org = generateOrg({ seed: 42, now: FIXED_NOW });
const active = org.accounts.filter((a) => a.status === 'ACTIVE');
const roles = active.flatMap((a) => a.roles);
const DAY = 86_400_000;

function statements(r: SyntheticRole): Record<string, Json>[] {
  const doc = r.trustPolicy.document as Record<string, Json>;
  const s = doc['Statement'];
  return (Array.isArray(s) ? s : [s]) as Record<string, Json>[];
}

function role(name: string): SyntheticRole {
  const r = roles.find((x) => x.name === name);
  if (!r) throw new Error(`no role ${name}`);
  return r;
}

function record(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

describe('generateOrg: determinism and size', () => {
  it('gives byte-identical output for the same seed and now, and different output for another seed', () => {
    const again = generateOrg({ seed: 42, now: FIXED_NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(org));
    const other = generateOrg({ seed: 7, now: FIXED_NOW });
    expect(other.organization.managementAccountId).not.toBe(org.organization.managementAccountId);
  });

  it('keeps account ids and the org id stable for seed 42 whatever `now` is', () => {
    expect(org.organization.managementAccountId).toBe('502865639452');
    expect(org.organization.id).toBe('o-skro88ahcm');
    const later = generateOrg({ seed: 42, now: new Date('2027-03-01T00:00:00Z') });
    expect(later.accounts.map((a) => a.id)).toEqual(org.accounts.map((a) => a.id));
  });

  it('has a management account, four active members and one suspended account by default', () => {
    expect(org.accounts.map((a) => [a.name, a.status, a.isManagement])).toEqual([
      ['acme-management', 'ACTIVE', true],
      ['shared-services', 'ACTIVE', false],
      ['prod-payments', 'ACTIVE', false],
      ['prod-web', 'ACTIVE', false],
      ['data-platform', 'ACTIVE', false],
      ['closed-legacy-app', 'SUSPENDED', false],
    ]);
    for (const a of org.accounts) expect(a.id).toMatch(/^[1-9]\d{11}$/);
    expect(new Set(org.accounts.map((a) => a.id)).size).toBe(org.accounts.length);
    expect(org.caller.arn).toBe('arn:aws:iam::502865639452:user/access-review');
  });

  it('generates 5 accounts x 25 roles x 1500 events', () => {
    const big = generateOrg({ seed: 3, now: FIXED_NOW, memberAccounts: 4, rolesPerAccount: 25, eventsPerAccount: 1500 });
    for (const a of big.accounts.filter((x) => x.status === 'ACTIVE')) {
      expect(a.roles.length).toBeGreaterThanOrEqual(25);
      expect(a.events.filter((e) => e.truth.copy !== 'caller').length).toBeGreaterThanOrEqual(1400);
    }
  });

  it('grows linearly with events: 4x the events costs less than 8x the CPU time', () => {
    // A ratio of CPU time inside one process, the least of three tries each, so a busy machine slows both
    // sides alike; a quadratic generator would take about 16x. Absolute times are in scripts/, not here.
    const cpuMs = (eventsPerAccount: number): number => {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        const start = process.cpuUsage();
        generateOrg({ seed: 3, now: FIXED_NOW, memberAccounts: 4, rolesPerAccount: 25, eventsPerAccount });
        const used = process.cpuUsage(start);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      return best;
    };
    const small = cpuMs(750);
    const large = cpuMs(3000);
    expect(large / small).toBeLessThan(8);
  });

  it('scales to other shapes: no members, many members', () => {
    const solo = generateOrg({ seed: 1, now: FIXED_NOW, memberAccounts: 0, suspendedAccounts: 0 });
    expect(solo.accounts).toHaveLength(1);
    expect(solo.accounts[0]?.roles.some((r) => r.name === 'AccessReviewReadOnly')).toBe(true);
    const wide = generateOrg({ seed: 1, now: FIXED_NOW, memberAccounts: 12, rolesPerAccount: 10, eventsPerAccount: 100 });
    expect(wide.accounts.filter((a) => a.status === 'ACTIVE')).toHaveLength(13);
  });
});

describe('generateOrg: trust shapes', () => {
  const classes = new Set(roles.flatMap((r) => r.trustGrants.map((g) => g.class)));

  it('classifies principals into every class a reviewer must handle', () => {
    for (const c of ['same-account', 'org-account', 'known-vendor', 'external', 'public', 'service', 'federated-oidc', 'federated-saml', 'deleted']) {
      expect(classes, c).toContain(c);
    }
  });

  it('writes Principal in every real-world form', () => {
    const principals = roles.flatMap((r) => statements(r).map((s) => s['Principal']));
    expect(principals).toContain('*');
    expect(principals).toContainEqual({ AWS: '*' });
    const awsValues = principals.flatMap((p) => (p && typeof p === 'object' && !Array.isArray(p) ? [p['AWS']] : []));
    expect(awsValues.some((v) => typeof v === 'string' && /^\d{12}$/.test(v)), 'bare account id').toBe(true);
    expect(awsValues.some((v) => Array.isArray(v)), 'list of principals').toBe(true);
    expect(awsValues.some((v) => typeof v === 'string' && /:root$/.test(v)), 'root ARN').toBe(true);
    expect(awsValues.some((v) => typeof v === 'string' && /:role\//.test(v)), 'role ARN').toBe(true);
    expect(awsValues.some((v) => typeof v === 'string' && /:user\//.test(v)), 'user ARN').toBe(true);
    expect(principals).toContainEqual({ Service: 'lambda.amazonaws.com' });
    expect(principals).toContainEqual({ Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] });
    const deleted = roles.flatMap((r) => r.trustGrants).filter((g) => g.class === 'deleted');
    expect(deleted[0]?.principal).toMatch(/^AROA[A-Z2-7]{17}$/);
  });

  it('uses each guard: ExternalId, MFA, PrincipalOrgID, SourceAccount/SourceArn, OIDC aud/sub, SAML aud', () => {
    const guards = new Set(roles.flatMap((r) => r.trustGrants.flatMap((g) => g.guards)));
    for (const g of ['external-id', 'mfa', 'principal-org-id', 'source-account', 'source-arn', 'oidc-aud', 'oidc-sub', 'saml-aud']) expect(guards, g).toContain(g);
  });

  it('trusts GitHub OIDC with an org-scoped subject, an exact one and a wildcard one', () => {
    const ci = statements(role('ci-deployer'))[0];
    expect(ci?.['Principal']).toEqual({ Federated: `arn:aws:iam::${active[0]?.id}:oidc-provider/token.actions.githubusercontent.com` });
    expect(ci?.['Action']).toBe('sts:AssumeRoleWithWebIdentity');
    expect(ci?.['Condition']).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme-corp/*' },
    });
    const wildcard = role('github-actions-terraform');
    expect(statements(wildcard)[0]?.['Condition']).toMatchObject({ StringLike: { 'token.actions.githubusercontent.com:sub': '*' } });
    expect(wildcard.trustGrants[0]?.wildcardSubject).toBe(true);
    expect(JSON.stringify(role('github-release-publisher').trustPolicy.document)).toContain('repo:acme-corp/release-tools:ref:refs/heads/main');
  });

  it('trusts an EKS OIDC provider and SAML providers (Okta and IAM Identity Center)', () => {
    const irsa = statements(role('payments-api-irsa'))[0];
    expect(JSON.stringify(irsa?.['Principal'])).toMatch(/oidc-provider\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}/);
    const okta = statements(role('okta-engineering'))[0];
    expect(okta?.['Principal']).toEqual({ Federated: expect.stringMatching(/:saml-provider\/Okta$/) });
    expect(okta?.['Condition']).toEqual({ StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } });
    const sso = roles.filter((r) => r.name.startsWith('AWSReservedSSO_'));
    expect(sso.length).toBe(2 * active.length);
    expect(sso[0]?.path).toBe('/aws-reserved/sso.amazonaws.com/');
  });

  it('includes a Deny statement, a single-object Statement with Version 2008-10-17, and an empty Condition block', () => {
    const auditor = role('cross-account-auditor');
    expect(statements(auditor)[1]).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { StringNotEquals: { 'aws:PrincipalOrgID': org.organization.id } } });
    const legacy = role('old-backup-role').trustPolicy.document as Record<string, Json>;
    expect(legacy['Version']).toBe('2008-10-17');
    expect(Array.isArray(legacy['Statement'])).toBe(false);
    expect(statements(role('platform-automation'))[0]?.['Condition']).toEqual({});
  });

  it('trusts real, published vendor accounts and says which', () => {
    const datadog = role('DatadogIntegrationRole');
    expect(datadog.trustGrants[0]).toMatchObject({ class: 'known-vendor', vendor: 'Datadog', accountId: '464622532012', guards: ['external-id'] });
    expect(role('cloudability-cost-read').trustGrants[0]).toMatchObject({ class: 'known-vendor', guards: [] });
    expect(role('lacework-audit').trustGrants[0]).toMatchObject({ principal: '434813966438', class: 'known-vendor' });
    for (const v of org.vendors) expect(KNOWN_VENDORS.find((k) => k.accountId === v.accountId)?.source).toBe(v.source);
    for (const id of org.unknownExternalAccounts) expect(org.accounts.some((a) => a.id === id)).toBe(false);
  });

  it('puts the read-only audit role in every active account, trusted by the management account', () => {
    for (const a of active) {
      const r = a.roles.find((x) => x.name === org.readOnlyRoleName);
      expect(r?.trustPolicy.document).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${org.organization.managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
      });
    }
  });

  it('carries markup and quotes in tags so renderers must escape them', () => {
    const tags = role('reporting-export').tags;
    expect(tags).toContainEqual({ Key: 'Description', Value: '<script>alert(1)</script>' });
    expect(tags.some((t) => t.Value.includes('"') && t.Value.includes('&') && t.Value.includes("'"))).toBe(true);
  });

  it('varies how documents are written (compact, indented, tabs) and keeps text and document in step', () => {
    const texts = roles.map((r) => r.trustPolicy.text);
    expect(texts.some((t) => !t.includes('\n'))).toBe(true);
    expect(texts.some((t) => t.includes('\n\t'))).toBe(true);
    expect(texts.some((t) => t.includes('\n    '))).toBe(true);
    for (const r of roles) expect(JSON.parse(r.trustPolicy.text)).toEqual(r.trustPolicy.document);
  });
});

describe('generateOrg: permissions', () => {
  it('attaches AWS managed and customer managed policies, with versions and one default each', () => {
    const all = active.flatMap((a) => a.managedPolicies);
    expect(all.some((p) => p.arn === 'arn:aws:iam::aws:policy/AdministratorAccess')).toBe(true);
    expect(all.some((p) => p.arn === 'arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe(true);
    expect(all.some((p) => p.arn === 'arn:aws:iam::aws:policy/PowerUserAccess')).toBe(true);
    for (const p of all) expect(p.versions.filter((v) => v.isDefault).map((v) => v.versionId)).toEqual([p.defaultVersionId]);
    const deploy = all.find((p) => p.name === 'DeployLambdaApps');
    const text = deploy?.versions.find((v) => v.isDefault)?.text ?? '';
    expect(text).toContain('iam:PassRole');
    expect(text).toContain('lambda:CreateFunction');
    expect(all.some((p) => p.versions.some((v) => v.text.includes('NotAction')))).toBe(true);
    const inline = roles.flatMap((r) => r.inlinePolicies.map((p) => p.text));
    expect(inline.some((t) => t.includes('iam:PutRolePolicy'))).toBe(true);
    expect(role('platform-automation').permissionsBoundaryArn).toMatch(/:policy\/boundaries\/DeveloperBoundary$/);
    expect(roles.some((r) => r.instanceProfile !== undefined)).toBe(true);
  });
});

describe('generateOrg: event history', () => {
  const windowStart = FIXED_NOW.getTime() - 90 * DAY;

  it('keeps every event inside the window, newest first, in two regions', () => {
    for (const a of active) {
      const times = a.events.map((e) => Date.parse(e.eventTime));
      expect(times.every((t) => t > windowStart && t <= FIXED_NOW.getTime())).toBe(true);
      expect([...times].sort((x, y) => y - x)).toEqual(times);
      expect(new Set(a.events.map((e) => e.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
    }
  });

  it('writes full CloudTrail records for AssumeRole, AssumeRoleWithWebIdentity and AssumeRoleWithSAML', () => {
    const names = new Set(active.flatMap((a) => a.events.map((e) => e.eventName)));
    for (const n of ['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'DescribeInstances']) expect(names).toContain(n);
    for (const a of active) {
      for (const e of a.events.filter((x) => x.eventSource === 'sts.amazonaws.com' && x.eventName.startsWith('AssumeRole'))) {
        const r = record(e.cloudTrailEvent);
        expect(r['eventVersion']).toBe('1.08');
        expect(r['eventSource']).toBe('sts.amazonaws.com');
        expect(r['eventName']).toBe(e.eventName);
        expect(r['eventID']).toBe(e.eventId);
        expect(r['eventTime']).toBe(e.eventTime);
        expect(r['awsRegion']).toBe(e.region);
        expect(r['recipientAccountId']).toBe(a.id);
        expect((r['requestParameters'] as Record<string, unknown>)['roleArn']).toBe(e.truth.roleArn);
        expect(r['resources']).toEqual([{ accountId: e.truth.roleArn?.split(':')[4], type: 'AWS::IAM::Role', ARN: e.truth.roleArn }]);
        expect(e.resources.at(-1)).toEqual({ ResourceType: 'AWS::IAM::Role', ResourceName: e.truth.roleArn });
        expect(r['eventID']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        if (e.truth.success) {
          const aru = (r['responseElements'] as Record<string, Record<string, string>>)['assumedRoleUser'];
          expect(aru?.['arn']).toMatch(/^arn:aws:sts::\d{12}:assumed-role\//);
        } else {
          expect(r['errorCode']).toBe('AccessDenied');
          expect(r['responseElements']).toBeNull();
        }
      }
    }
  });

  it('records a cross-account call twice: the owner sees only the caller account, the caller sees itself', () => {
    const owner = active.flatMap((a) => a.events).find((e) => e.truth.copy === 'owner' && e.truth.callerType === 'AWSAccount');
    expect(owner).toBeDefined();
    const ownerRec = record(owner?.cloudTrailEvent ?? '{}');
    const identity = ownerRec['userIdentity'] as Record<string, unknown>;
    expect(identity['type']).toBe('AWSAccount');
    expect(identity['arn']).toBeUndefined();
    expect(identity['accountId']).toBe(owner?.truth.callerAccountId);
    const callerAccount = active.find((a) => a.id === owner?.truth.callerAccountId);
    const copy = callerAccount?.events.find((e) => record(e.cloudTrailEvent)['sharedEventID'] === ownerRec['sharedEventID']);
    expect(copy?.truth.copy).toBe('caller');
    const callerIdentity = record(copy?.cloudTrailEvent ?? '{}')['userIdentity'] as Record<string, unknown>;
    expect(callerIdentity['arn']).toBe(owner?.truth.callerArn);
    expect(callerIdentity['sessionContext']).toMatchObject({ attributes: { mfaAuthenticated: expect.stringMatching(/true|false/) } });
  });

  it('shows vendors calling with their ExternalId, unexpected GitHub subjects, and refused MFA-less calls', () => {
    const events = active.flatMap((a) => a.events);
    const datadog = events.find((e) => e.truth.callerAccountId === '464622532012');
    expect(datadog?.truth.externalId).toBeDefined();
    expect((record(datadog?.cloudTrailEvent ?? '{}')['requestParameters'] as Record<string, unknown>)['externalId']).toBe(datadog?.truth.externalId);
    const odd = events.filter((e) => e.truth.unexpectedCaller && e.eventName === 'AssumeRoleWithWebIdentity');
    expect(odd.length).toBeGreaterThan(0);
    expect(odd[0]?.username).toBe('repo:octo-attacker/aws-probe:ref:refs/heads/main');
    expect(events.some((e) => !e.truth.success && e.truth.roleArn?.endsWith(':role/BreakGlassAdmin'))).toBe(true);
    const mfa = events.find((e) => e.truth.mfa && e.truth.roleArn?.endsWith(':role/BreakGlassAdmin') && e.truth.success);
    expect((record(mfa?.cloudTrailEvent ?? '{}')['userIdentity'] as Record<string, Record<string, Record<string, string>>>)['sessionContext']?.['attributes']?.['mfaAuthenticated']).toBe('true');
  });

  it('agrees with RoleLastUsed: used roles show their newest assumption, dormant ones an older date, never-used none', () => {
    for (const a of active) {
      for (const r of a.roles) {
        const own = a.events.filter((e) => e.truth.roleArn === r.arn && e.truth.success && e.truth.copy !== 'caller');
        if (own.length > 0) {
          expect(r.lastUsed?.date, r.name).toBe(own[0]?.eventTime);
        } else if (r.usage === 'never') {
          expect(r.lastUsed, r.name).toBeUndefined();
        } else if (r.lastUsed) {
          expect(Date.parse(r.lastUsed.date)).toBeLessThan(windowStart);
        }
      }
    }
    expect(roles.some((r) => r.usage === 'dormant' && r.lastUsed !== undefined)).toBe(true);
  });
});

describe('generateOrg: Access Analyzer', () => {
  const byIndex = (i: number) => active[i];

  it('has both analyzers, external only, none, and unused only across the first accounts', () => {
    expect(byIndex(0)?.analyzers.map((a) => a.type)).toEqual(['ACCOUNT', 'ACCOUNT_UNUSED_ACCESS']);
    expect(byIndex(1)?.analyzers.map((a) => `${a.type}@${a.region}`)).toEqual(['ACCOUNT@us-east-1', 'ACCOUNT@eu-west-1']);
    expect(byIndex(2)?.analyzers).toEqual([]);
    expect(byIndex(2)?.findings).toEqual([]);
    expect(byIndex(3)?.analyzers.map((a) => a.type)).toEqual(['ACCOUNT_UNUSED_ACCESS']);
  });

  it('reports external access for trust that leaves the account, and nothing for services', () => {
    for (const a of active.filter((x) => x.analyzers.some((y) => y.type === 'ACCOUNT'))) {
      const external = a.findings.filter((f) => f.findingType === 'ExternalAccess' && f.status !== 'RESOLVED');
      for (const f of external) {
        const r = a.roles.find((x) => x.arn === f.resource);
        expect(r, f.resource).toBeDefined();
        expect(r?.trustGrants.some((g) => ['org-account', 'known-vendor', 'external', 'public', 'federated-oidc', 'federated-saml'].includes(g.class))).toBe(true);
      }
      for (const r of a.roles.filter((x) => x.trustGrants.every((g) => g.class === 'service' || g.class === 'same-account'))) {
        expect(external.some((f) => f.resource === r.arn), r.name).toBe(false);
      }
      expect(a.findings.some((f) => f.status === 'RESOLVED' && f.resource.endsWith(':role/old-contractor-access'))).toBe(true);
    }
    const all = active.flatMap((a) => a.findings);
    const pub = all.find((f) => f.resource.endsWith(':role/legacy-public-assume'));
    expect(pub).toBeDefined();
    expect(pub?.details[0]).toEqual({ externalAccessDetails: { action: ['sts:AssumeRole'], condition: {}, isPublic: true, principal: { AWS: '*' } } });
  });

  it('reports unused roles only when unused for the analyzer age, and unused permissions on broad roles', () => {
    for (const a of active) {
      for (const f of a.findings.filter((x) => x.findingType === 'UnusedIAMRole')) {
        const r = a.roles.find((x) => x.arn === f.resource);
        expect(r?.serviceLinked).toBe(false);
        if (r?.lastUsed) expect(FIXED_NOW.getTime() - Date.parse(r.lastUsed.date)).toBeGreaterThan(90 * DAY);
      }
    }
    expect(active.flatMap((a) => a.findings).some((f) => f.findingType === 'UnusedPermission')).toBe(true);
  });
});

describe('generateOrg: other seeds keep the guarantees', () => {
  it.each([1, 2, 1234])('seed %i has every trust class and the audit role everywhere', (seed) => {
    const o: SyntheticOrg = generateOrg({ seed, now: FIXED_NOW, eventsPerAccount: 200 });
    const cls = new Set(o.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants.map((g) => g.class))));
    expect(cls.size).toBe(9);
    for (const a of o.accounts.filter((x) => x.status === 'ACTIVE')) expect(a.roles.some((r) => r.name === o.readOnlyRoleName)).toBe(true);
  });
});

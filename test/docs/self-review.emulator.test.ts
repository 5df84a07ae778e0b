/**
 * The tool passes its own review: every trust and permission policy the project ships (docs/iam/) is loaded
 * into the emulator as the roles a deployment creates, collected through IAM's wire protocol like any
 * other role, and analyzed with the real action catalogue. No finding on them may be above low, and the
 * low ones that remain are listed here, each with the reason it is accepted.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze/index.js';
import { loadActionCatalog } from '../../src/catalog/load-action-catalog.js';
import { createClientFactory } from '../../src/collect/clients.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { loadVendors } from '../../src/config/vendors.js';
import { startEmulator, type CorpusFile, type RunningEmulator } from '../../src/emulator/index.js';
import type { Json } from '../../src/emulator/org-types.js';
import type { Finding, Review } from '../../src/model/review.js';

/** A shipped document with its example ids turned into the emulator's: the collector's account is the management account. */
function shipped(file: string): Json {
  const text = readFileSync(new URL(`../../docs/iam/${file}`, import.meta.url), 'utf8')
    .replaceAll('111122223333', '{{management}}')
    .replaceAll('123456789012', '{{management}}')
    .replaceAll('o-exampleorgid', '{{orgId}}');
  return JSON.parse(text) as Json;
}

const policy = (name: string, file: string, account: 'management' | 'member' = 'management') => ({ name, account, document: shipped(file) });
const attached = (...names: string[]) => names.map((n) => `arn:aws:iam::{{self}}:policy/${n}`);
const COLLECTOR_POLICIES = attached('AccessReviewCollector', 'AccessReviewArchiveWriter', 'AccessReviewMemberRead');

/**
 * The roles a deployment creates. The member account already holds the emulator's own AccessReviewReadOnly
 * (the collection enters through it), so the shipped member role sits beside it under the path /shipped/;
 * the collector appears once per shipped trust (ECS task role, EKS service account).
 */
const CORPUS: CorpusFile = {
  policies: [
    policy('AccessReviewCollector', 'collector-policy.json'),
    policy('AccessReviewArchiveWriter', 'archive-writer-policy.json'),
    policy('AccessReviewMemberRead', 'member-role-policy.json'),
    policy('AccessReviewMemberRead', 'member-role-policy.json', 'member'),
    policy('AccessReviewAuditorRead', 'auditor-role-policy.json'),
    policy('SchedulerRunTask', 'scheduler-role-policy.json'),
  ],
  roles: [
    { name: 'AccessReviewCollector', trust: shipped('collector-role-trust-ecs.json'), attached: COLLECTOR_POLICIES },
    { name: 'AccessReviewCollectorEks', trust: shipped('collector-role-trust-eks.json'), attached: COLLECTOR_POLICIES },
    { name: 'AccessReviewReadOnly', path: '/shipped/', account: 'member', trust: shipped('member-role-trust.json'), attached: attached('AccessReviewMemberRead') },
    { name: 'AccessReviewAuditor', trust: shipped('auditor-role-trust.json'), attached: attached('AccessReviewAuditorRead') },
    { name: 'SchedulerRunTask', trust: shipped('scheduler-role-trust.json'), attached: attached('SchedulerRunTask') },
  ],
};

/**
 * The low findings that remain on the shipped roles, and why each is accepted. Keyed "rule role".
 * Anything not listed here fails the test, so a new finding is a decision, not a drift.
 */
const ACCEPTED_LOW: Record<string, string> = {};

const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

let emu: RunningEmulator;
let review: Review;
let shippedArns: Set<string>;

beforeAll(async () => {
  emu = await startEmulator({ seed: 11, org: { memberAccounts: 1, rolesPerAccount: 4, eventsPerAccount: 10, suspendedAccounts: 0, regions: ['us-east-1'] }, corpus: CORPUS });
  const config = resolveConfig(
    {
      scope: { mode: 'organization' },
      aws: { endpoint: emu.endpoint, s3ForcePathStyle: true },
      regions: ['us-east-1'],
      // Roles that have never run have no usage to judge; usage rules are for a deployment's history.
      cloudtrail: { enabled: false },
    },
    {},
  );
  const now = new Date(emu.org.now);
  const snapshot = await collectSnapshot(config, { clients: createClientFactory(config.aws, emu.credentials), now, runId: 'self-review', tool: { name: 'access-review', version: 'test' } });
  review = analyze(snapshot, {
    now,
    settings: { unusedAfterDays: config.analysis.unusedAfterDays, extraVendors: [], suppressions: [] },
    catalog: await loadActionCatalog(),
    vendors: loadVendors([]),
  });
  const management = emu.org.organization.managementAccountId;
  const member = emu.org.accounts.find((a) => !a.isManagement)?.id ?? '';
  shippedArns = new Set([
    ...['AccessReviewCollector', 'AccessReviewCollectorEks', 'AccessReviewAuditor', 'SchedulerRunTask'].map((n) => `arn:aws:iam::${management}:role/${n}`),
    `arn:aws:iam::${member}:role/shipped/AccessReviewReadOnly`,
  ]);
}, 180_000);
afterAll(async () => emu?.close());

const onShipped = (f: Finding): boolean => shippedArns.has(f.resource) || [...shippedArns].some((arn) => (f.grantId ?? '').startsWith(`${arn}#`));
const roleName = (f: Finding): string => f.resource.slice(f.resource.lastIndexOf('/') + 1);

describe('the tool passes its own review', () => {
  it('collects every shipped role, with its trust and permission policies readable', () => {
    const reviewed = review.accounts.flatMap((a) => a.roles).filter((r) => shippedArns.has(r.arn));
    expect(reviewed.map((r) => r.arn).sort()).toEqual([...shippedArns].sort());
    for (const r of reviewed) expect(r.trustGrants.length, r.arn).toBeGreaterThan(0);
  });

  it('reads each trust as a deployment means it, and finds every action the policies name in the catalogue', () => {
    const byName = new Map(review.accounts.flatMap((a) => a.roles).filter((r) => shippedArns.has(r.arn)).map((r) => [r.name, r]));
    const trust = (name: string) =>
      byName.get(name)?.trustGrants.map((g) => `${g.principal.class}: ${g.guards.filter((x) => x.effective).map((x) => x.kind).join(', ')}`);
    expect(trust('AccessReviewCollector')).toEqual(['service: source-account, source-arn']);
    expect(trust('AccessReviewCollectorEks')).toEqual(['federated-oidc: oidc-sub, oidc-aud']);
    expect(trust('AccessReviewReadOnly')).toEqual(['org-account: principal-org-id']);
    expect(trust('AccessReviewAuditor')).toEqual(['same-account: mfa']);
    expect(trust('SchedulerRunTask')).toEqual(['service: source-account']);
    for (const [name, role] of byName) {
      // An action IAM does not know is a permission the deployment silently lacks (ListFindingsV2 is
      // authorized as access-analyzer:ListFindings, GetFindingV2 as access-analyzer:GetFinding).
      expect(role.permissions.uncataloguedActions, name).toEqual([]);
      expect([role.permissions.adminEquivalent, role.permissions.readEverything, role.permissions.privilegeEscalation.map((m) => m.method)], name).toEqual([false, false, []]);
    }
  });

  it('raises no finding above low on them; the low ones are the accepted list', () => {
    const findings = review.findings.filter(onShipped);
    const summary = findings.map((f) => `${f.severity.padEnd(8)} ${f.ruleId} ${roleName(f)}: ${f.message}`).sort();
    // Printed so a failure shows what the review said, not only that it differs.
    console.log(`Findings on the shipped roles:\n${summary.join('\n') || '(none: no low finding remains to accept)'}`);
    expect(findings.filter((f) => SEVERITY_RANK[f.severity] > SEVERITY_RANK.low).map((f) => `${f.severity} ${f.ruleId} ${roleName(f)}: ${f.message}`)).toEqual([]);
    expect(findings.map((f) => `${f.ruleId} ${roleName(f)}`).sort()).toEqual(Object.keys(ACCEPTED_LOW).sort());
  });
});

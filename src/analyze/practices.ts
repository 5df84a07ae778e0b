/**
 * The five practices the rules enforce, as one view: per practice, the figures that show how the estate
 * stands and the open findings of the rules that enforce it. Figures that depend on a source not read say
 * so in `caveats` instead of counting the unknown as zero.
 */
import type { BestPractice, Finding, PracticeRollup, PrincipalClass, ReviewChanges, TrustGrant } from '../model/review.js';
import { PRACTICE_TITLES, PRINCIPAL_CLASSES } from '../model/review.js';
import type { AnalyzerRecord, CoverageItem } from '../model/snapshot.js';
import type { RoleReview } from '../model/review.js';
import type { SuppressionRule } from '../model/settings.js';
import { daysBetween, isServiceLinked } from './context.js';
import { CROSS_ACCOUNT_CLASSES } from './rules/helpers.js';
import { expiryInstant } from './suppressions.js';


const PRACTICES: readonly BestPractice[] = ['least-privilege', 'role-based-trust', 'logging-and-monitoring', 'periodic-review', 'mfa'];

/** Suppressions expiring within this many days are listed as "near expiry". */
export const SUPPRESSION_NEAR_EXPIRY_DAYS = 30;

/** Outside the role's account and not an AWS service: who "outside-trusted" means. */
const OUTSIDE: readonly PrincipalClass[] = CROSS_ACCOUNT_CLASSES.filter((c) => c !== 'org-account');

/**
 * What the rollup reads: a ReviewContext satisfies it, and so does a review scoped to one owner
 * (scope-review.ts), which has no snapshot to hand.
 */
export interface PracticeContext {
  now: Date;
  snapshot: { scope: { regions: readonly string[] } };
  settings: { suppressions: readonly Pick<SuppressionRule, 'ruleId' | 'resource' | 'owner' | 'expires'>[] };
  accounts: readonly {
    snapshot: { accountId: string; coverage: readonly CoverageItem[]; accessAnalyzer: { analyzers: readonly AnalyzerRecord[] } };
    roles: readonly PracticeRole[];
  }[];
}

interface PracticeRole {
  record: { arn: string; path: string };
  review: RoleReview;
}

interface LiveGrant {
  role: PracticeRole;
  grant: TrustGrant;
}

function liveGrants(context: PracticeContext): LiveGrant[] {
  return context.accounts.flatMap((a) =>
    a.roles
      .filter((r) => !isServiceLinked(r.record))
      .flatMap((role) => role.review.trustGrants.filter((g) => !g.negatedBy).map((grant) => ({ role, grant }))),
  );
}

export function practiceRollup(
  context: PracticeContext,
  findings: readonly Finding[],
  practiceOf: (ruleId: string) => readonly BestPractice[],
  previous: { runId: string; generatedAt: string } | undefined,
  changes: ReviewChanges | undefined,
): PracticeRollup[] {
  const grants = liveGrants(context);
  const crossAccount = grants.filter(({ grant }) => CROSS_ACCOUNT_CLASSES.includes(grant.principal.class));
  const outsideRoles = new Map<string, PracticeRole>();
  for (const { role, grant } of grants) {
    if (OUTSIDE.includes(grant.principal.class)) outsideRoles.set(role.record.arn, role);
  }
  const outside = [...outsideRoles.values()];
  const unused = crossAccount.filter(({ grant }) => grant.usage.state === 'unused').length;
  const unknown = crossAccount.filter(({ grant }) => grant.usage.state === 'unknown').length;
  const usageCaveat = unknown > 0 ? [`Use of ${unknown} cross-account grant(s) is unknown: CloudTrail was not read completely for their account.`] : [];

  const open = findings.filter((f) => f.status !== 'suppressed');
  const findingsOf = (practice: BestPractice): Finding[] => open.filter((f) => practiceOf(f.ruleId).includes(practice));

  const guardState = (g: TrustGrant): 'present' | 'absent' | 'ineffective' =>
    g.guards.some((x) => x.effective) ? 'present' : g.guards.length > 0 ? 'ineffective' : 'absent';

  const coverage = context.accounts.flatMap((a) => a.snapshot.coverage.map((c) => ({ ...c, accountId: a.snapshot.accountId })));
  const regionsOk = (source: 'cloudtrail' | 'access-analyzer'): { ok: number; total: number; missing: string[] } => {
    const items = coverage.filter((c) => c.source === source);
    const bad = items.filter((c) => c.status !== 'ok');
    return { ok: items.length - bad.length, total: items.length, missing: bad.map((c) => `${c.accountId}${c.region ? ` ${c.region}` : ''} (${c.status}${c.errorCode ? `, ${c.errorCode}` : ''})`) };
  };
  const trail = regionsOk('cloudtrail');
  const analyzer = regionsOk('access-analyzer');
  const expectedRegions = context.accounts.length * context.snapshot.scope.regions.length;
  const activeAnalyzers = new Set(
    context.accounts.flatMap((a) =>
      a.snapshot.accessAnalyzer.analyzers
        .filter((x) => x.status === 'ACTIVE' && !x.type.includes('UNUSED') && !x.type.includes('INTERNAL'))
        .map((x) => `${a.snapshot.accountId} ${x.region}`),
    ),
  );

  const horizon = context.now.getTime() + SUPPRESSION_NEAR_EXPIRY_DAYS * 86_400_000;
  const nearExpiry = context.settings.suppressions.filter((s) => {
    const at = expiryInstant(s.expires);
    return at !== undefined && at > context.now.getTime() && at <= horizon;
  });
  const expired = findings.filter((f) => f.status === 'suppression-expired').length;

  // Humans come in as IAM users, through a whole account's root (which delegates to its users) or via SAML.
  const human = crossAccount.filter(
    ({ grant }) => grant.principal.kind === 'user' || grant.principal.kind === 'account' || grant.principal.class === 'federated-saml',
  );
  const withMfa = human.filter(({ grant }) => grant.guards.some((g) => g.kind === 'mfa' && g.effective)).length;

  const rollups: Record<BestPractice, Omit<PracticeRollup, 'practice' | 'title' | 'openFindings' | 'findingIds'>> = {
    'least-privilege': {
      figures: [
        { label: 'Roles trusted from outside the organization', value: outside.length },
        { label: '… admin-equivalent', value: outside.filter((r) => r.review.permissions.adminEquivalent).length },
        { label: '… able to escalate their privileges', value: outside.filter((r) => r.review.permissions.privilegeEscalation.length > 0).length },
        { label: '… able to read everything', value: outside.filter((r) => r.review.permissions.readEverything).length },
        { label: 'Cross-account grants unused in the window', value: unused },
        { label: 'Cross-account grants whose use is unknown', value: unknown },
      ],
      caveats: usageCaveat,
    },
    'role-based-trust': {
      figures: [
        ...PRINCIPAL_CLASSES.map((c) => ({ label: `Grants to ${c.replace(/-/g, ' ')}`, value: grants.filter(({ grant }) => grant.principal.class === c).length })).filter(
          (f) => f.value > 0,
        ),
        { label: 'Cross-account grants with an effective guard', value: crossAccount.filter(({ grant }) => guardState(grant) === 'present').length },
        { label: 'Cross-account grants with no guard', value: crossAccount.filter(({ grant }) => guardState(grant) === 'absent').length },
        { label: 'Cross-account grants whose guards do not narrow access', value: crossAccount.filter(({ grant }) => guardState(grant) === 'ineffective').length },
      ],
      caveats: [],
    },
    'logging-and-monitoring': {
      figures: [
        { label: 'CloudTrail read (account-regions)', value: `${trail.ok} of ${Math.max(trail.total, expectedRegions)}` },
        { label: 'Access Analyzer read (account-regions)', value: `${analyzer.ok} of ${Math.max(analyzer.total, expectedRegions)}` },
        { label: 'Account-regions with an active external-access analyzer', value: `${activeAnalyzers.size} of ${expectedRegions}` },
      ],
      caveats: [
        ...(trail.missing.length > 0 ? [`CloudTrail not read completely: ${trail.missing.join('; ')}.`] : []),
        ...(analyzer.missing.length > 0 ? [`Access Analyzer not read completely: ${analyzer.missing.join('; ')}.`] : []),
      ],
    },
    'periodic-review': {
      figures: [
        {
          label: 'Previous review',
          value: previous ? `${previous.generatedAt.slice(0, 10)} (${daysBetween(previous.generatedAt, context.now)} days ago)` : 'none on record',
        },
        { label: 'New trust grants since then', value: changes ? changes.newGrants.length : '—' },
        { label: 'Removed trust grants since then', value: changes ? changes.removedGrants.length : '—' },
        { label: 'New findings since then', value: changes ? changes.newFindings.length : '—' },
        { label: 'Resolved findings since then', value: changes ? changes.resolvedFindings.length : '—' },
        { label: 'Items not reviewed this time (carried forward)', value: changes ? (changes.notReviewedGrants?.length ?? 0) + (changes.notReviewedFindings?.length ?? 0) : '—' },
        { label: 'Unused cross-account trusts', value: unused },
        { label: `Suppressions expiring within ${SUPPRESSION_NEAR_EXPIRY_DAYS} days`, value: nearExpiry.length },
        { label: 'Suppressions expired (findings open again)', value: expired },
      ],
      caveats: [...usageCaveat, ...nearExpiry.map((s) => `Suppression of ${s.ruleId} on ${s.resource} (owner ${s.owner}) expires ${s.expires}.`)],
    },
    mfa: {
      figures: [
        { label: 'Cross-account trusts humans can use (IAM users, account roots, SAML)', value: human.length },
        { label: '… requiring MFA', value: withMfa },
        { label: '… not requiring MFA', value: human.length - withMfa },
      ],
      caveats: human.some(({ grant }) => grant.principal.class === 'federated-saml')
        ? ['For SAML trusts MFA is usually enforced by the identity provider, which this review cannot see.']
        : [],
    },
  };
  return PRACTICES.map((practice) => {
    const mine = findingsOf(practice);
    return {
      practice,
      title: PRACTICE_TITLES[practice],
      ...rollups[practice],
      openFindings: mine.length,
      findingIds: mine.map((f) => f.id),
    };
  });
}

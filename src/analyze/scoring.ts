/**
 * Risk scores (0-100). A finding starts from its severity and moves with exposure (public > unknown
 * external > vendor > organization), the role's privilege, the guards in place and observed use. Roles and
 * the review take their highest open finding plus a little for volume, so one critical problem is never
 * averaged away by many clean roles.
 */
import type { Finding, PermissionSummary, PrincipalClass, Severity, TopAction, TrustGrant } from '../model/review.js';
import { SEVERITIES } from '../model/review.js';
import type { RuleMeta } from './rules/rule.js';

const SEVERITY_BASE: Record<Severity, number> = { critical: 80, high: 60, medium: 40, low: 20, info: 5 };

const EXPOSURE: Record<PrincipalClass, number> = {
  public: 12,
  external: 9,
  'federated-oidc': 7,
  'known-vendor': 5,
  unknown: 4,
  'federated-saml': 2,
  'org-account': 2,
  service: 1,
  'same-account': 0,
  deleted: 0,
};

export interface ScoreInput {
  severity: Severity;
  grant?: TrustGrant;
  permissions?: PermissionSummary;
  /** Callers no grant explains were seen on the role. */
  unexpectedCallers?: boolean;
}

export function findingScore(input: ScoreInput): number {
  let score = SEVERITY_BASE[input.severity];
  const { grant, permissions } = input;
  if (grant) {
    score += EXPOSURE[grant.principal.class];
    // Trusting a whole account delegates to every principal its admins allow; naming a role does not.
    if (grant.principal.kind === 'account' || grant.principal.kind === 'wildcard') score += 3;
    const guardKinds = new Set(grant.guards.filter((g) => g.effective).map((g) => g.kind));
    score -= Math.min(6, 2 * guardKinds.size);
    if (grant.usage.used) score += 2; // live exposure, not just latent
  }
  if (permissions) {
    if (permissions.adminEquivalent) score += 8;
    else if (permissions.privilegeEscalation.length > 0) score += 5;
    else if (permissions.readEverything) score += 3;
  }
  if (input.unexpectedCallers) score += 4;
  return clamp(Math.round(score));
}

/** Highest open finding, plus up to 10 for how many others are open. */
export function aggregateScore(findings: readonly Pick<Finding, 'score' | 'status'>[]): number {
  const open = findings.filter((f) => f.status !== 'suppressed').map((f) => f.score).sort((a, b) => b - a);
  if (open.length === 0) return 0;
  return clamp((open[0] ?? 0) + Math.min(10, 2 * (open.length - 1)));
}

export const TOP_ACTION_LIMIT = 10;

/**
 * The report's "do these first": open findings grouped by rule, ordered by their worst score. The group's
 * severity is its median finding's, so three critical findings among thirty-three high ones do not label
 * the group critical; the count per severity says what is in it.
 */
export function topActions(
  findings: readonly Finding[],
  metaOf: (ruleId: string) => RuleMeta | undefined,
  exampleOf: (finding: Finding) => string | undefined = () => undefined,
): TopAction[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.status === 'suppressed') continue;
    const group = groups.get(finding.ruleId);
    if (group) group.push(finding);
    else groups.set(finding.ruleId, [finding]);
  }
  const actions: TopAction[] = [];
  for (const [ruleId, group] of groups) {
    const sorted = [...group].sort((a, b) => b.score - a.score || compare(a.id, b.id));
    const worst = sorted[0];
    if (!worst) continue;
    const meta = metaOf(ruleId);
    const count = group.length;
    const action: TopAction = {
      title: `${meta?.action ?? worst.title} (${count} finding${count === 1 ? '' : 's'})`,
      severity: medianSeverity(group),
      findingIds: sorted.map((f) => f.id),
      score: worst.score,
      ruleId,
      bySeverity: countSeverities(group),
    };
    if (meta) {
      action.why = firstSentence(meta.rationale);
      action.fix = meta.remediation;
      action.bestPractice = meta.bestPractice;
    }
    for (const finding of sorted) {
      const change = exampleOf(finding);
      if (change === undefined) continue;
      action.example = { roleArn: finding.grantId?.split('#')[0] ?? finding.resource, change };
      break;
    }
    actions.push(action);
  }
  return actions
    .sort((a, b) => b.score - a.score || b.findingIds.length - a.findingIds.length || compare(a.title, b.title))
    .slice(0, TOP_ACTION_LIMIT);
}

/** The severity of the middle finding when ordered worst first (the worse of the two middles for an even count). */
export function medianSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity {
  const ranks = findings.map((f) => SEVERITIES.indexOf(f.severity)).sort((a, b) => a - b);
  return SEVERITIES[ranks[Math.floor((ranks.length - 1) / 2)] ?? 0] ?? 'info';
}

function countSeverities(findings: readonly Pick<Finding, 'severity'>[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const s of SEVERITIES) {
    const n = findings.filter((f) => f.severity === s).length;
    if (n > 0) counts[s] = n;
  }
  return counts;
}

/** One line for the cover: the rationale up to its first full stop. */
function firstSentence(text: string): string {
  const m = /^(.+?[.!?])(\s|$)/.exec(text);
  return m?.[1] ?? text;
}

function clamp(score: number): number {
  return Math.max(0, Math.min(100, score));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

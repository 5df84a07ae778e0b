/**
 * Suppressions from the config: rule id + resource glob + reason + owner + expiry. A suppression without a
 * reason or owner, or with an unreadable date, suppresses nothing and is reported; an expired one leaves
 * the finding open with status 'suppression-expired' so the lapse is visible; one that matches nothing is
 * listed so stale entries get cleaned up.
 */
import type { AppliedSuppression, Finding } from '../model/review.js';
import type { SuppressionRule } from '../model/settings.js';
import { wildcardMatch } from './wildcard.js';

export interface SuppressionOutcome {
  findings: Finding[];
  unmatched: AppliedSuppression[];
  invalid: { suppression: AppliedSuppression; problem: string }[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant a suppression lapses: the end of its expiry day, in UTC. */
export function expiryInstant(expires: string): number | undefined {
  const match = DATE.exec(expires.trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  const time = Date.UTC(Number(y), Number(m) - 1, Number(d) + 1);
  const check = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  // Reject dates like 2026-02-30 that Date.UTC silently rolls over.
  return check.getUTCMonth() === Number(m) - 1 && check.getUTCDate() === Number(d) ? time : undefined;
}

export function problemWith(rule: SuppressionRule): string | undefined {
  if (!rule.ruleId?.trim()) return 'no rule id';
  if (!rule.resource?.trim()) return 'no resource pattern';
  if (!rule.reason?.trim()) return 'no reason: a suppression must say why the risk is accepted';
  if (!rule.owner?.trim()) return 'no owner: a suppression must say who accepted the risk';
  if (expiryInstant(rule.expires ?? '') === undefined) return `expiry "${rule.expires}" is not a date (YYYY-MM-DD)`;
  return undefined;
}

export function applySuppressions(findings: readonly Finding[], rules: readonly SuppressionRule[], now: Date): SuppressionOutcome {
  const invalid: SuppressionOutcome['invalid'] = [];
  const valid: SuppressionRule[] = [];
  for (const rule of rules) {
    const problem = problemWith(rule);
    if (problem) invalid.push({ suppression: applied(rule), problem });
    else valid.push(rule);
  }
  const used = new Set<SuppressionRule>();
  const result = findings.map((finding) => {
    const matching = valid.filter((rule) => rule.ruleId === finding.ruleId && wildcardMatch(rule.resource, finding.resource));
    if (matching.length === 0) return finding;
    for (const rule of matching) used.add(rule);
    // Prefer a live suppression, and among those the one lasting longest.
    const best = [...matching].sort((a, b) => (expiryInstant(b.expires) ?? 0) - (expiryInstant(a.expires) ?? 0))[0];
    if (!best) return finding;
    const live = (expiryInstant(best.expires) ?? 0) > now.getTime();
    return { ...finding, status: live ? ('suppressed' as const) : ('suppression-expired' as const), suppression: applied(best) };
  });
  const unmatched = valid.filter((rule) => !used.has(rule)).map(applied);
  return { findings: result, unmatched, invalid };
}

function applied(rule: SuppressionRule): AppliedSuppression {
  return {
    ruleId: rule.ruleId ?? '',
    resource: rule.resource ?? '',
    reason: rule.reason ?? '',
    owner: rule.owner ?? '',
    expires: rule.expires ?? '',
  };
}

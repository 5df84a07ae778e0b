import { SEVERITIES, type AppliedSuppression, type Finding, type Severity } from '../../model/review.js';
import { daysBetween, formatDay, humanize } from '../format.js';
import type { FindingView, SuppressionView } from './types.js';
import { shortArn, type AccountNamer } from './labels.js';
import { ownerLabel, ownerWhy } from './owners.js';

export function severityRank(s: Severity): number {
  const i = SEVERITIES.indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
}

/** Most severe first, then highest score, then id so equal findings keep a stable order across runs. */
export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(a.severity) - severityRank(b.severity) || b.score - a.score || a.id.localeCompare(b.id);
}

/** Open means still needing action: an expired suppression no longer hides a finding. */
export function isOpen(f: Finding): boolean {
  return f.status !== 'suppressed';
}

export function suppressionView(s: AppliedSuppression, now: string): SuppressionView {
  const days = daysBetween(now, s.expires);
  let expiresNote = '';
  if (days !== undefined) {
    if (days < 0) expiresNote = `expired ${-days === 1 ? '1 day' : `${-days} days`} ago`;
    else if (days === 0) expiresNote = 'expires today';
    else if (days <= 30) expiresNote = `expires in ${days === 1 ? '1 day' : `${days} days`}`;
  }
  return {
    ruleId: s.ruleId,
    resource: s.resource,
    reason: s.reason,
    owner: s.owner,
    expires: formatDay(s.expires),
    expiresNote,
  };
}

export function findingView(f: Finding, namer: AccountNamer, now: string): FindingView {
  const view: FindingView = {
    id: f.id,
    anchor: findingAnchor(f.id),
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    message: f.message,
    account: namer.label(f.accountId),
    resource: f.resource,
    resourceLabel: shortArn(f.resource, namer),
    evidence: f.evidence.map((e) => ({ label: e.label, value: e.value })),
    remediation: f.remediation,
    score: f.score,
    status: f.status,
    statusLabel: f.status === 'open' ? 'Open' : humanize(f.status),
  };
  if (f.suppression !== undefined) view.suppression = suppressionView(f.suppression, now);
  if (f.owner !== undefined) view.owner = { name: ownerLabel(f.owner), why: ownerWhy(f.owner) };
  return view;
}

/** Fragment id of a finding's row; finding ids are hex. */
export function findingAnchor(id: string): string {
  return `finding-${id.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

export function countOpenBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) if (isOpen(f)) counts[f.severity] += 1;
  return counts;
}

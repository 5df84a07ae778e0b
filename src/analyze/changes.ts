/**
 * What changed since the previous review: grants that appeared or went, and findings that are new,
 * resolved, or back. "Back" means open now and either suppressed last time or resolved last time (the
 * previous review's own change list remembers that).
 */
import type { Finding, Review, ReviewChanges, TrustGrant } from '../model/review.js';

export function diffReviews(
  previous: Review,
  grants: readonly Pick<TrustGrant, 'id'>[],
  findings: readonly Pick<Finding, 'id' | 'status'>[],
): ReviewChanges {
  const previousGrants = new Set(previous.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants.map((g) => g.id))));
  const currentGrants = new Set(grants.map((g) => g.id));
  const previousFindings = new Map(previous.findings.map((f) => [f.id, f]));
  const currentFindings = new Map(findings.map((f) => [f.id, f]));
  const resolvedLastTime = new Set(previous.changes?.resolvedFindings ?? []);

  const newFindings: string[] = [];
  const reopenedFindings: string[] = [];
  for (const finding of findings) {
    if (finding.status === 'suppressed') continue;
    const before = previousFindings.get(finding.id);
    if (!before) {
      (resolvedLastTime.has(finding.id) ? reopenedFindings : newFindings).push(finding.id);
    } else if (before.status === 'suppressed') {
      reopenedFindings.push(finding.id);
    }
  }
  const resolvedFindings = previous.findings.filter((f) => !currentFindings.has(f.id)).map((f) => f.id);
  return {
    previousRunId: previous.runId,
    previousGeneratedAt: previous.generatedAt,
    newGrants: [...currentGrants].filter((id) => !previousGrants.has(id)).sort(),
    removedGrants: [...previousGrants].filter((id) => !currentGrants.has(id)).sort(),
    newFindings: newFindings.sort(),
    resolvedFindings: resolvedFindings.sort(),
    reopenedFindings: reopenedFindings.sort(),
  };
}

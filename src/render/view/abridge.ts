/**
 * An abridged view for print: a large organization's PDF with a full card for every role runs to
 * thousands of pages nobody reads. Roles with an open finding, a trust from outside their account or an
 * unreadable trust policy keep their card; the rest stay in the at-a-glance tables, and the report says
 * how many cards were left to report.html, review.json and the CSVs. Pure.
 */
import type { ReportView, RoleView } from './types.js';

export function isFlagged(role: RoleView): boolean {
  return role.openFindingCount > 0 || role.trustPolicyError !== undefined || role.grants.some((g) => g.crossAccount && !g.negatedBy);
}

export function abridgeView(view: ReportView): ReportView {
  let total = 0;
  let detailed = 0;
  const accounts = view.accounts.map((account) => ({
    ...account,
    roles: account.roles.map((role) => {
      total += 1;
      const keep = isFlagged(role);
      if (keep) detailed += 1;
      return { ...role, detailed: keep };
    }),
  }));
  return { ...view, accounts, abridged: { detailed, total } };
}

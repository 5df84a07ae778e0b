/**
 * An abridged view for print, the manager's PDF: a large organization's PDF with a full card for every
 * role runs to thousands of pages nobody reads. Only flagged roles are listed (an open finding, a trust from
 * outside their account or an unreadable trust policy), each account's table of them first; the riskiest
 * flagged roles, at most ABRIDGED_MAX_CARDS across the organization (those the cover's actions point at
 * first), also get their full card. Roles that
 * are not flagged are counted per account, and the report says where every role and card is (report.html,
 * review.json, trust-grants.csv of the same run). Pure.
 */
import { compareRoles } from './accounts.js';
import type { ReportView, RoleView } from './types.js';

/**
 * Full cards in the abridged PDF at most: a card takes about a page, and past a hundred pages of cards the
 * document is no longer read (nor printed in a minute at 10,000 roles); the rest are rows of the tables.
 */
export const ABRIDGED_MAX_CARDS = 100;

export function isFlagged(role: RoleView): boolean {
  return role.openFindingCount > 0 || role.trustPolicyError !== undefined || role.grants.some((g) => g.crossAccount && !g.negatedBy);
}

export function abridgeView(view: ReportView, maxCards: number = ABRIDGED_MAX_CARDS): ReportView {
  const all = view.accounts.flatMap((a) => a.roles);
  const flagged = all.filter(isFlagged);
  // The cover's actions link to their evidence: those roles get their cards before the riskiest others.
  const evidence = new Set(view.topActions.map((a) => a.evidenceAnchor).filter((a) => a !== undefined));
  const onCover = (role: RoleView): number => (role.findings.some((f) => evidence.has(f.anchor)) ? 0 : 1);
  const ranked = [...flagged].sort((a, b) => onCover(a) - onCover(b) || compareRoles(a, b));
  const carded = new Set(ranked.slice(0, Math.max(0, maxCards)));
  const accounts = view.accounts.map((account) => {
    const roles = account.roles.filter(isFlagged).map((role): RoleView => ({ ...role, detailed: carded.has(role) }));
    return { ...account, roles, unlistedRoles: account.roles.length - roles.length };
  });
  return {
    ...view,
    accounts,
    abridged: { detailed: carded.size, flagged: flagged.length, total: all.length, capped: carded.size < flagged.length },
  };
}

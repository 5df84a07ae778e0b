import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { abridgeView, isFlagged } from '../../src/render/view/abridge.js';
import { buildReportView } from '../../src/render/view/index.js';
import { fixtureReview } from './fixture-review.js';

describe('abridged print view', () => {
  it('lists the roles with open findings, outside trust or unreadable trust, gives them cards, and counts the rest', () => {
    const view = buildReportView(fixtureReview());
    const abridged = abridgeView(view);
    const all = view.accounts.flatMap((a) => a.roles);
    const listed = abridged.accounts.flatMap((a) => a.roles);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(all.length);
    for (const r of listed) expect(r.openFindingCount > 0 || r.trustPolicyError !== undefined || r.grants.some((g) => g.crossAccount)).toBe(true);
    for (const r of all.filter((r) => !listed.some((l) => l.arn === r.arn))) {
      expect(r.openFindingCount).toBe(0);
      expect(r.grants.every((g) => !g.crossAccount || g.negatedBy)).toBe(true);
    }
    // Every role is either listed or counted under its own account.
    abridged.accounts.forEach((a, i) => expect(a.roles.length + (a.unlistedRoles ?? 0)).toBe(view.accounts[i]?.roles.length));
    // Under the card limit, every listed role has its card.
    expect(listed.every((r) => r.detailed)).toBe(true);
    expect(abridged.abridged).toEqual({ detailed: listed.length, flagged: listed.length, total: all.length, capped: false });
    // The full view is untouched: every card is detailed there.
    expect(all.every((r) => r.detailed && isFlagged(r) === listed.some((k) => k.arn === r.arn))).toBe(true);
  });

  it('gives cards to the roles the cover points at, then the riskiest, when there are more flagged roles than the limit', () => {
    const view = buildReportView(fixtureReview());
    const onCover = new Set(view.topActions.map((a) => a.evidenceAnchor));
    const coverRoles = abridgeView(view).accounts.flatMap((a) => a.roles).filter((r) => r.findings.some((f) => onCover.has(f.anchor)));
    expect(coverRoles.length).toBeGreaterThan(0);
    const limit = coverRoles.length + 1;
    const abridged = abridgeView(view, limit);
    const listed = abridged.accounts.flatMap((a) => a.roles);
    const carded = listed.filter((r) => r.detailed);
    expect(carded).toHaveLength(limit);
    expect(listed.length).toBeGreaterThan(limit);
    expect(abridged.abridged).toMatchObject({ detailed: limit, flagged: listed.length, capped: true });
    for (const r of coverRoles) expect(carded.some((c) => c.arn === r.arn), r.name).toBe(true);
    // The one card left goes to the riskiest of the rest: no role without a card has a worse severity.
    const rank = (r: (typeof listed)[number]) => (r.topSeverity === undefined ? 99 : ['critical', 'high', 'medium', 'low', 'info'].indexOf(r.topSeverity));
    const extra = carded.find((c) => !coverRoles.some((r) => r.arn === c.arn));
    for (const r of listed.filter((r) => !r.detailed)) expect(rank(r)).toBeGreaterThanOrEqual(rank(extra!));
  });

  it('prints fewer cards and rows, says how many and where the rest are', async () => {
    const review = fixtureReview();
    const full = await renderHtml(review);
    const print = await renderHtml(review, { roleDetail: 'flagged' });
    const cards = (html: string) => (html.match(/<h3 class="role-name wrap">/g) ?? []).length;
    const abridgedView = abridgeView(buildReportView(review));
    const { abridged } = abridgedView;
    expect(cards(full)).toBe(abridged!.total);
    expect(cards(print)).toBe(abridged!.detailed);
    expect(print).toContain(`Abridged for print:</strong> this PDF lists the ${abridged!.flagged} flagged roles of ${abridged!.total} roles`);
    expect(print).toContain(`Roles not flagged (${abridged!.total - abridged!.flagged}) are counted under their account, not listed.`);
    expect(print).toContain('Every role and its details are in report.html, review.json and trust-grants.csv of the same run.');
    expect(full).not.toContain('Abridged for print');
    const glanceRows = (html: string) => (html.match(/<table class="data role-index">[\s\S]*?<\/table>/g) ?? []).join('').match(/<tr>/g)?.length ?? 0;
    const accountsWithTables = (html: string) => (html.match(/<table class="data role-index">/g) ?? []).length;
    expect(glanceRows(print) - accountsWithTables(print)).toBe(abridged!.flagged);
    expect(glanceRows(full) - accountsWithTables(full)).toBe(abridged!.total);
    for (const a of abridgedView.accounts.filter((a) => a.unlistedRoles)) {
      expect(print).toMatch(a.roles.length > 0 ? `${a.unlistedRoles} other role` : `None of the ${a.unlistedRoles} role`);
    }
  });
});

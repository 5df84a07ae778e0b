import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { abridgeView, isFlagged } from '../../src/render/view/abridge.js';
import { buildReportView } from '../../src/render/view/index.js';
import { fixtureReview } from './fixture-review.js';

describe('abridged print view', () => {
  it('keeps the cards of roles with open findings, outside trust or unreadable trust, and counts the rest', () => {
    const view = buildReportView(fixtureReview());
    const abridged = abridgeView(view);
    const roles = abridged.accounts.flatMap((a) => a.roles);
    expect(roles.length).toBe(view.accounts.flatMap((a) => a.roles).length);
    const kept = roles.filter((r) => r.detailed);
    const dropped = roles.filter((r) => !r.detailed);
    expect(kept.length).toBeGreaterThan(0);
    expect(dropped.length).toBeGreaterThan(0);
    for (const r of kept) expect(r.openFindingCount > 0 || r.trustPolicyError !== undefined || r.grants.some((g) => g.crossAccount)).toBe(true);
    for (const r of dropped) {
      expect(r.openFindingCount).toBe(0);
      expect(r.grants.every((g) => !g.crossAccount || g.negatedBy)).toBe(true);
    }
    expect(abridged.abridged).toEqual({ detailed: kept.length, total: roles.length });
    // The full view is untouched: every card is detailed there.
    expect(view.accounts.flatMap((a) => a.roles).every((r) => r.detailed && isFlagged(r) === kept.some((k) => k.arn === r.arn))).toBe(true);
  });

  it('prints fewer cards, says how many and where the rest are, and still lists every role', async () => {
    const review = fixtureReview();
    const full = await renderHtml(review);
    const print = await renderHtml(review, { roleDetail: 'flagged' });
    const cards = (html: string) => (html.match(/<h3 class="role-name wrap">/g) ?? []).length;
    const { abridged } = abridgeView(buildReportView(review));
    expect(cards(full)).toBe(abridged!.total);
    expect(cards(print)).toBe(abridged!.detailed);
    expect(print).toContain(`Abridged for print:</strong> full details for ${abridged!.detailed} of ${abridged!.total} roles`);
    expect(print).toContain(`the details of the other ${abridged!.total - abridged!.detailed} are in report.html, review.json and trust-grants.csv`);
    expect(full).not.toContain('Abridged for print');
    const glanceRows = (html: string) => (html.match(/<table class="data role-index">[\s\S]*?<\/table>/g) ?? []).join('').match(/<tr>/g)?.length;
    expect(glanceRows(print)).toBe(glanceRows(full));
  });
});

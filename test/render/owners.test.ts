/**
 * Owners in every output of the organization-wide report: the Owners part (owner, source, accounts, roles,
 * open findings, the unassigned list, config problems), each finding's owner, each top action's owners, the
 * CSV columns, the explorer rows and the email. Owner names come from tags, so one here is hostile.
 */
import { describe, expect, it } from 'vitest';
import type { OwnerRef, Ownership } from '../../src/model/ownership.js';
import type { Review } from '../../src/model/review.js';
import { renderHtml } from '../../src/render/html.js';
import { renderFindingsCsv, renderGrantsCsv } from '../../src/render/csv.js';
import { renderEmail } from '../../src/render/email.js';
import { buildExplorerData } from '../../src/render/explorer/data.js';
import { buildReportView } from '../../src/render/view/index.js';
import { renderReviewJson } from '../../src/render/json.js';
import { validateAgainst } from '../../src/config/validate.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { runConfiguration } from '../../src/config/digest.js';
import { fixtureReview, PROD } from './fixture-review.js';

const HOSTILE_OWNER = '<img src=x onerror=alert(2)>Team';

/** The fixture with owners: roles in PROD belong to a tag-named (hostile) owner, one role to nobody, the rest to Payments. */
function ownedReview(): Review {
  const review = fixtureReview();
  const hostile: OwnerRef = { id: 'img-src-x-onerror-alert-2-team', name: HOSTILE_OWNER, source: 'account-tag', detail: `account tag owner=${HOSTILE_OWNER}` };
  const payments: OwnerRef = { id: 'payments', name: 'Payments', source: 'organizational-unit', detail: 'OU Production (ou-ab12-34cd5678)' };
  const roles: Record<string, OwnerRef> = {};
  const accounts: Record<string, OwnerRef> = {};
  const allRoles = review.accounts.flatMap((a) => a.roles);
  const orphan = allRoles.find((r) => r.accountId !== PROD);
  for (const a of review.accounts) accounts[a.accountId] = a.accountId === PROD ? hostile : payments;
  for (const r of allRoles) {
    roles[r.arn] = r === orphan ? { id: 'unassigned', name: 'Unassigned', source: 'unassigned', detail: 'no role tag (owner, team) and no owner for its account' } : (accounts[r.accountId] as OwnerRef);
  }
  const ownerOf = (f: Review['findings'][number]): OwnerRef => roles[f.resource] ?? roles[f.grantId?.split('#')[0] ?? ''] ?? (accounts[f.accountId] as OwnerRef);
  review.findings = review.findings.map((f) => ({ ...f, owner: ownerOf(f) }));
  const byId = new Map(review.findings.map((f) => [f.id, f.owner as OwnerRef]));
  review.summary.topActions = review.summary.topActions.map((a) => ({
    ...a,
    owners: [...new Map(a.findingIds.map((id) => byId.get(id)).filter((o): o is OwnerRef => o !== undefined).map((o) => [o.id, o])).values()],
  }));
  const count = (id: string): number => review.findings.filter((f) => f.status !== 'suppressed' && f.owner?.id === id).length;
  const ownership: Ownership = {
    owners: [
      { id: hostile.id, name: HOSTILE_OWNER, emails: [], accountIds: [PROD], roleArns: allRoles.filter((r) => roles[r.arn]?.id === hostile.id).map((r) => r.arn), openFindings: count(hostile.id) },
      { id: 'payments', name: 'Payments', emails: ['payments@acme.example'], accountIds: review.accounts.map((a) => a.accountId).filter((id) => id !== PROD), roleArns: allRoles.filter((r) => roles[r.arn]?.id === 'payments').map((r) => r.arn), openFindings: count('payments') },
    ],
    roles,
    accounts,
    unassigned: { accountIds: [], roleArns: orphan ? [orphan.arn] : [] },
    problems: [{ path: 'owners.list[1].organizationalUnits[0]', message: 'Payments: ou-ab12-nosuchou is not an organizational unit of organization o-abc.' }],
  };
  review.ownership = ownership;
  return review;
}

function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no section ${id}`);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('owners in the report', () => {
  it('has an Owners part with each owner, source, accounts, roles, open findings, the unassigned and the config problems', async () => {
    const review = ownedReview();
    const html = await renderHtml(review);
    const owners = section(html, 'owners');
    expect(owners).toContain('<strong>Payments</strong>');
    expect(owners).toContain('payments@acme.example');
    expect(owners).toContain('organizational unit');
    expect(owners).toContain('account tag');
    expect(owners).toContain('no email configured');
    expect(owners).toContain('<span class="mono">owners.list[1].organizationalUnits[0]</span>: Payments: ou-ab12-nosuchou is not an organizational unit');
    expect(owners).toContain('Roles nobody owns (1,');
    expect(owners).toContain('no role tag (owner, team) and no owner for its account');
    const view = buildReportView(review);
    expect(view.owners?.owners.map((o) => [o.name, o.roleCount, o.openFindings])).toEqual(review.ownership?.owners.map((o) => [o.name, o.roleArns.length, o.openFindings]));
  });

  it('names the owner of each account section', () => {
    const view = buildReportView(ownedReview());
    expect(view.accounts.find((a) => a.accountId === PROD)?.owner).toEqual({ name: HOSTILE_OWNER, why: `account tag owner=${HOSTILE_OWNER}` });
  });

  it('escapes a hostile owner name everywhere in the HTML', async () => {
    const html = await renderHtml(ownedReview());
    expect(html).not.toContain(HOSTILE_OWNER);
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;Team');
  });

  it('names the owner on every finding row and every top action', async () => {
    const review = ownedReview();
    const view = buildReportView(review);
    const rows = view.accounts.flatMap((a) => [...a.accountFindings, ...a.roles.flatMap((r) => r.findings)]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.owner?.name).toBe(review.findings.find((f) => f.id === row.id)?.owner?.source === 'unassigned' ? 'Unassigned' : review.findings.find((f) => f.id === row.id)?.owner?.name);
    for (const action of [...view.topActions, ...view.furtherActions]) expect(action.owners).toBeDefined();
    const html = await renderHtml(review);
    expect(html).toContain('Owner: <strong>Payments</strong> <span class="muted">(OU Production (ou-ab12-34cd5678))</span>');
    expect(html).toMatch(/<span class="action-owner">owners? [^<]*Payments/);
  });

  it('carries ownership and the owner of each finding in review.json, valid against the review schema', () => {
    const parsed = JSON.parse(renderReviewJson(ownedReview())) as Review;
    expect(validateAgainst('review.schema.json', parsed)).toEqual([]);
    expect(parsed.findings.every((f) => typeof f.owner?.source === 'string')).toBe(true);
    expect(parsed.ownership?.unassigned.roleArns).toHaveLength(1);
    expect(validateAgainst('review.schema.json', { ...parsed, findings: [{ ...parsed.findings[0], owner: { id: 'Bad Id', name: 'x', source: 'guess' } }] })).toHaveLength(2);
  });

  it('names at most three owners of an action on the cover, then how many more', () => {
    const review = ownedReview();
    const names = ['A', 'B', 'C', 'D', 'E'];
    const first = review.summary.topActions[0];
    if (first) first.owners = names.map((n) => ({ id: n.toLowerCase(), name: n, source: 'role-tag' as const }));
    expect(buildReportView(review).topActions[0]?.owners).toBe('A, B, C and 2 more');
  });

  it('echoes how owners were resolved in the configuration appendix', () => {
    const review = ownedReview();
    const config = resolveConfig({ owners: { accountTagKeys: [], allClear: 'skip', list: [{ name: 'A', emails: ['a@acme.example'] }, { name: 'B', emails: ['b@acme.example'] }] } }, {});
    review.configuration = runConfiguration(config, 10);
    const row = buildReportView(review).configuration?.rows.find((r) => r.label === 'Owners');
    expect(row?.value).toBe('role tags owner, team; account tags none; 2 configured; per-owner reports on; all-clear skip');
  });

  it('has owner columns in both CSVs', () => {
    const review = ownedReview();
    const lines = renderFindingsCsv(review).trim().split('\r\n');
    expect(lines[0]).toMatch(/,owner,owner_id,owner_source,owner_detail$/);
    const payments = review.findings.find((f) => f.owner?.id === 'payments');
    expect(lines.find((l) => l.startsWith(`${payments?.id},`))).toMatch(/,Payments,payments,organizational-unit,OU Production \(ou-ab12-34cd5678\)$/);
    const grants = renderGrantsCsv(review).trim().split('\r\n');
    expect(grants[0]).toMatch(/,owner,owner_source$/);
    expect(grants.slice(1).some((l) => l.endsWith(',Payments,organizational-unit'))).toBe(true);
  });

  it('puts the resolved owner into the explorer rows', () => {
    const review = ownedReview();
    const data = buildExplorerData(review);
    expect(data.roles.filter((r) => r.o === 'Payments').length).toBe(review.ownership?.owners[1]?.roleArns.length);
    expect(data.roles.some((r) => r.o === 'Unassigned')).toBe(true);
    expect(data.findings.every((f) => f.ow !== undefined)).toBe(true);
  });

  it('names the owners of each top action in the email, escaped in the HTML part', async () => {
    const review = ownedReview();
    const email = await renderEmail(review, {});
    const view = buildReportView(review);
    const first = view.topActions[0];
    expect(first?.owners).toBeDefined();
    expect(email.text).toContain(`   ${first?.ownerCount === 1 ? 'Owner' : 'Owners'}: ${first?.owners}`);
    expect(email.html).toMatch(/<strong>Owners?:<\/strong>/);
    expect(email.html).not.toContain(HOSTILE_OWNER);
  });
});

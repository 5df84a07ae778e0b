import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { emailOwners, type OwnerReport } from '../../src/cli/owner-reports.js';
import type { Envelope } from '../../src/cli/email-step.js';
import { scopeReview } from '../../src/analyze/scope-review.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { OWNERS_DEFAULTS } from '../../src/model/ownership.js';
import { PAYMENTS, ownersReview } from '../analyze/owners-fixture.js';

const API = `arn:aws:iam::${PAYMENTS}:role/pay-api`;

function quietOwner(): OwnerReport {
  const review = ownersReview();
  const owner = { id: 'ci', name: 'Build team', emails: ['builds@example.com'], accountIds: [PAYMENTS], roleArns: [API], openFindings: 0 };
  return { owner, review: scopeReview(review, { ownerId: owner.id, ownerName: owner.name, accountIds: owner.accountIds, roleArns: owner.roleArns }), artifacts: [] };
}

async function mail(allClear: 'send' | 'skip', report: OwnerReport): Promise<{ sent: { raw: Uint8Array; envelope: Envelope }[]; problems: string[] }> {
  const config = resolveConfig({ email: { from: 'access-review@example.com', to: ['security-leads@example.com'] } }, {});
  config.owners = { ...OWNERS_DEFAULTS, allClear };
  const sent: { raw: Uint8Array; envelope: Envelope }[] = [];
  const problems = await emailOwners(
    { via: 'SES', send: async (raw, envelope) => (sent.push({ raw, envelope }), 'id-1') },
    [report],
    config,
    { artifacts: [], runId: '20261125T060000Z-abcdef', now: new Date('2026-11-25T06:00:00Z'), archive: { bucket: 'reviews', prefix: 'ar/organization-o-owners12345/2026/11/25/20261125T060000Z-abcdef' } },
    () => undefined,
  );
  return { sent, problems };
}

describe('owner emails', () => {
  it('an owner with nothing open gets a short all-clear note saying where the report is', async () => {
    const report = quietOwner();
    expect(report.review.summary.openFindings).toBe(0);
    expect(report.review.summary.coverageGaps).toBe(0);
    const { sent, problems } = await mail('send', report);
    expect(problems).toEqual([]);
    expect(report.email?.mode).toBe('all-clear');
    expect(sent.map((s) => s.envelope)).toEqual([{ to: ['builds@example.com'], cc: [] }]);
    const parsed = await PostalMime.parse(sent[0]!.raw);
    expect(parsed.subject).toBe(`Access review — Report for Build team: account ${PAYMENTS} (payments-prod-ledger), 1 role: all clear`);
    expect(parsed.attachments).toEqual([]);
    expect(parsed.text).toContain('nothing is open on your 1 role and 1 trust grant: no open findings, and every source was read for your 1 account.');
    expect(parsed.text).toContain('The full report is at s3://reviews/ar/organization-o-owners12345/2026/11/25/20261125T060000Z-abcdef/owners/ci/report.pdf.');
    expect(parsed.messageId).toBe('<20261125T060000Z-abcdef.ci.access-review@example.com>');
  });

  it('gets no email at all with allClear "skip"', async () => {
    const report = quietOwner();
    const { sent } = await mail('skip', report);
    expect(sent).toEqual([]);
    expect(report.noEmail).toBe('nothing open, and owners.allClear is "skip"');
  });

  it('a coverage gap is not all clear: the owner gets the report instead', async () => {
    const report = quietOwner();
    report.review.summary.coverageGaps = 1;
    const { sent } = await mail('skip', report);
    expect(sent).toHaveLength(1);
    expect(report.email?.mode).toBe('summary-only');
  });
});

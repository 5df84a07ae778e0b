/**
 * One collection, many reports (issue 10, items 3-5): the pipeline renders, archives and mails one report
 * per owner, and no owner's artifacts (HTML, PDF text, JSON, CSV, email) name another owner's accounts or
 * roles. Ownership is filled in by hand (test/analyze/owners-fixture.ts), so the figures are known; the
 * leakage check is data-driven and runs on the demo's own owners in demo-owners.emulator.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Review } from '../../src/model/review.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import type { AnalyzeOptions } from '../../src/analyze/index.js';
import { analyzeAndDeliver, type PipelineResult } from '../../src/cli/pipeline.js';
import type { Envelope } from '../../src/cli/email-step.js';
import { verifyCommand } from '../../src/cli/verify.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { OWNERS_DEFAULTS } from '../../src/model/ownership.js';
import { MANIFEST_NAME, type Manifest } from '../../src/model/artifact.js';
import { ownersSnapshot, ownershipByHand } from '../analyze/owners-fixture.js';
import { leaks, outOfScopeTerms } from '../owners/leakage.js';

vi.mock('../../src/analyze/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/analyze/index.js')>();
  return {
    ...original,
    analyze: (snapshot: Snapshot, options: AnalyzeOptions): Review => {
      const review = original.analyze(snapshot, options);
      // This file tests rendering and delivery on a known ownership; resolution's own output on the demo's
      // organization is what test/cli/demo-owners.emulator.test.ts checks.
      review.ownership = ownershipByHand(review);
      return review;
    },
  };
});

const NOW = new Date('2026-11-25T06:00:00Z');

interface Sent {
  envelope: Envelope;
  raw: Uint8Array;
}

async function runWithOwners(dir: string, options: { failFor?: string; allClear?: 'send' | 'skip' } = {}): Promise<{ result: PipelineResult; sent: Sent[] }> {
  const config = resolveConfig(
    { output: { dir, formats: ['html', 'pdf', 'json', 'csv'] }, email: { from: 'access-review@example.com', to: ['security-leads@example.com'] } },
    {},
  );
  config.owners = { ...OWNERS_DEFAULTS, allClear: options.allClear ?? 'send' };
  const sent: Sent[] = [];
  const result = await analyzeAndDeliver(ownersSnapshot(), config, {
    now: NOW,
    log: () => undefined,
    sendEmail: {
      via: 'SES',
      async send(raw, envelope) {
        if (options.failFor && envelope.to.includes(options.failFor)) throw new Error('MessageRejected: Email address is not verified');
        sent.push({ raw, envelope });
        return `msg-${sent.length}`;
      },
    },
  });
  return { result, sent };
}

describe('owner reports', () => {
  let dir: string;
  let result: PipelineResult;
  let sent: Sent[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ar-owners-'));
    ({ result, sent } = await runWithOwners(dir, { failFor: 'data-leads@example.com' }));
  }, 240_000);

  it('renders one report per owner beside the organization-wide one, each in the manifest', async () => {
    expect(result.owners?.map((o) => o.owner.id)).toEqual(['data', 'payments', 'platform', 'sandbox']);
    const manifest = JSON.parse(await readFile(path.join(result.local!.runDir, MANIFEST_NAME), 'utf8')) as Manifest;
    const names = manifest.artifacts.map((a) => a.name);
    expect(names).toContain('report.pdf');
    for (const id of ['data', 'payments', 'platform', 'sandbox']) {
      for (const file of ['report.html', 'report.pdf', 'report.json', 'findings.csv', 'trust-grants.csv']) expect(names).toContain(`owners/${id}/${file}`);
    }
    const payments = JSON.parse(await readFile(path.join(result.local!.runDir, 'owners/payments/report.json'), 'utf8')) as Review;
    expect(payments.reportScope).toMatchObject({ ownerId: 'payments', ownerName: 'Payments', accountIds: ['111111111111'], roles: 2 });
    const html = await readFile(path.join(result.local!.runDir, 'owners/payments/report.html'), 'utf8');
    expect(html).toContain('Report for Payments: account 111111111111 (payments-prod-ledger), 2 roles');
    // The convenience copy of the newest run has the same layout.
    expect(await readFile(path.join(dir, 'owners/payments/report.json'), 'utf8')).toBe(JSON.stringify(payments, null, 2) + '\n');
  });

  it('verify checks the owner reports, and a changed one fails naming it', async () => {
    const before = await verifyCommand(result.local!.runDir, () => Promise.reject(new Error('no config needed')));
    expect(before.ok).toBe(true);
    expect(before.report).toContain('ok      owners/platform/report.pdf');
    const copy = await mkdtemp(path.join(tmpdir(), 'ar-owners-tamper-'));
    execFileSync('cp', ['-r', `${result.local!.runDir}/.`, copy]);
    const pdf = path.join(copy, 'owners/platform/report.pdf');
    const bytes = await readFile(pdf);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 1;
    await writeFile(pdf, bytes);
    const after = await verifyCommand(copy, () => Promise.reject(new Error('no config needed')));
    expect(after.ok).toBe(false);
    expect(after.report).toMatch(/FAILED {2}owners\/platform\/report\.pdf: sha256 mismatch/);
    expect(after.report.match(/FAILED/g)).toHaveLength(2); // the file, and the closing line
  });

  it('emails each owner their own report; one refused address fails that owner only and is a delivery error', async () => {
    const to = sent.map((s) => s.envelope.to.join(','));
    expect(to).toEqual(['security-leads@example.com', 'payments-leads@example.com', 'platform@example.com,sre@example.com']);
    expect(result.owners?.find((o) => o.owner.id === 'data')?.noEmail).toContain('MessageRejected');
    expect(result.owners?.find((o) => o.owner.id === 'sandbox')?.noEmail).toBe('no email address for this owner');
    expect(result.deliveryErrors).toEqual([expect.stringContaining('email to owner Data (1 recipient(s)) failed: MessageRejected')]);
    const payments = await PostalMime.parse(sent[1]!.raw);
    expect(payments.subject).toMatch(/^Access review — Report for Payments: account 111111111111 \(payments-prod-ledger\), 2 roles: /);
    expect(payments.attachments.map((a) => [a.filename, a.mimeType])).toEqual([['report.pdf', 'application/pdf']]);
    const attached = new Uint8Array(payments.attachments[0]!.content as ArrayBuffer);
    expect(Buffer.from(attached).equals(await readFile(path.join(result.local!.runDir, 'owners/payments/report.pdf')))).toBe(true);
  });

  it('no owner’s HTML, PDF text, JSON, CSV or email names an account or role outside their scope', async () => {
    const messages = new Map<string, string>();
    for (const s of sent.slice(1)) {
      const parsed = await PostalMime.parse(s.raw);
      const owner = result.owners?.find((o) => o.owner.emails.join(',') === s.envelope.to.join(','));
      messages.set(owner!.owner.id, `${parsed.subject}\n${parsed.text}\n${parsed.html}`);
    }
    let checked = 0;
    for (const report of result.owners ?? []) {
      const terms = outOfScopeTerms(result.review, report.owner, report.review);
      expect(terms.length, report.owner.id).toBeGreaterThan(0);
      const folder = path.join(result.local!.runDir, 'owners', report.owner.id);
      const texts: [string, string][] = [
        ['report.html', await readFile(path.join(folder, 'report.html'), 'utf8')],
        ['report.pdf (text)', execFileSync('pdftotext', ['-layout', path.join(folder, 'report.pdf'), '-'], { encoding: 'utf8' })],
        ['report.json', await readFile(path.join(folder, 'report.json'), 'utf8')],
        ['findings.csv', await readFile(path.join(folder, 'findings.csv'), 'utf8')],
        ['trust-grants.csv', await readFile(path.join(folder, 'trust-grants.csv'), 'utf8')],
        ...(messages.has(report.owner.id) ? [['email', messages.get(report.owner.id)!] as [string, string]] : []),
      ];
      for (const [what, text] of texts) {
        expect(leaks(text, terms), `${report.owner.id} ${what}`).toEqual([]);
        checked += 1;
      }
      // The organization-wide report does name them: the terms are real words of this organization.
      expect(leaks(await readFile(path.join(result.local!.runDir, 'review.json'), 'utf8'), terms).length, report.owner.id).toBeGreaterThan(0);
    }
    expect(checked).toBe(4 * 5 + 2);
  });
});

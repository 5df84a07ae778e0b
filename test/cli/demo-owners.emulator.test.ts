/**
 * Issue 10, item 5 on the demo: `npm run demo`'s organization, one report per owner, and each owner's HTML,
 * PDF text, JSON, CSV and email searched for every account and role outside their scope. The owners are the
 * demo's own (owner resolution) when the review has any; until then, one per account with one account
 * shared (test/owners/leakage.ts), so the check runs either way on the demo's real names.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AnalyzeOptions } from '../../src/analyze/index.js';
import { runDemo, type DemoResult } from '../../src/cli/demo.js';
import { resolveConfig } from '../../src/config/load-config.js';
import type { Review } from '../../src/model/review.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { leaks, outOfScopeTerms, ownerArtifactTexts, ownershipByAccount } from '../owners/leakage.js';

let resolvedOwners = true;

vi.mock('../../src/analyze/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/analyze/index.js')>();
  return {
    ...original,
    analyze: (snapshot: Snapshot, options: AnalyzeOptions): Review => {
      const review = original.analyze(snapshot, options);
      if (!review.ownership || review.ownership.owners.length === 0) {
        resolvedOwners = false;
        // The synthetic organization's one verified mail domain (src/emulator/synthetic-org.ts).
        review.ownership = ownershipByAccount(review, 'acme.example');
      }
      return review;
    },
  };
});

describe('the demo’s owner reports', () => {
  let result: DemoResult;
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'ar-demo-owners-'));
    result = await runDemo({ config: resolveConfig({ output: { dir: out } }, {}), log: () => undefined, seed: 42 });
  }, 600_000);

  it('writes a report per owner and saves each owner’s email beside the organization-wide one', async () => {
    const owners = result.owners ?? [];
    expect(owners.length, `owners ${resolvedOwners ? 'resolved' : 'by account'}`).toBeGreaterThan(1);
    expect(result.deliveryErrors).toEqual([]);
    expect(result.emailFile).toBe(path.join(out, 'email.eml'));
    const mailed = owners.filter((o) => o.email);
    expect(result.ownerEmails?.map((e) => e.file).sort()).toEqual(mailed.map((o) => path.join(out, `email-${o.owner.id}.eml`)).sort());
    for (const e of result.ownerEmails ?? []) {
      const parsed = await PostalMime.parse(await readFile(e.file));
      expect(parsed.to?.map((t) => t.address)).toEqual(e.to);
      expect(parsed.subject).toContain(`Report for ${e.owner}`);
    }
  });

  it('no owner’s HTML, PDF text, JSON, CSV or email names an account or role outside their scope', async () => {
    let searched = 0;
    for (const report of result.owners ?? []) {
      const terms = outOfScopeTerms(result.review, report.owner, report.review);
      const file = result.ownerEmails?.find((e) => e.owner === report.owner.name)?.file;
      const email = file ? await PostalMime.parse(await readFile(file)) : undefined;
      const texts = await ownerArtifactTexts(path.join(result.local!.runDir, 'owners', report.owner.id), email ? `${email.subject}\n${email.text}\n${email.html}` : undefined);
      expect(texts.map(([name]) => name)).toEqual(expect.arrayContaining(['report.html', 'report.json', 'report.pdf (text)', 'findings.csv']));
      for (const [what, text] of texts) {
        expect(leaks(text, terms), `${report.owner.id} ${what}`).toEqual([]);
        searched += terms.length;
      }
    }
    expect(searched).toBeGreaterThan(0);
  });
});

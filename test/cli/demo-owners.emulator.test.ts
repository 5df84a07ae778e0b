/**
 * Issue 10, item 5 on the demo: `npm run demo`'s organization, one report per owner, and each owner's HTML,
 * PDF text, JSON, CSV and email searched for every account and role outside their scope, with the owners
 * the demo's own tags, OUs and owners config resolve to.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoResult } from '../../src/cli/demo.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { leaks, outOfScopeTerms, ownerArtifactTexts } from '../owners/leakage.js';

describe('the demo’s owner reports', () => {
  let result: DemoResult;
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'ar-demo-owners-'));
    result = await runDemo({ config: resolveConfig({ output: { dir: out } }, {}), log: () => undefined, seed: 42 });
  }, 600_000);

  it('writes a report per owner and saves each owner’s email beside the organization-wide one', async () => {
    const owners = result.owners ?? [];
    expect(result.review.ownership?.owners.length).toBeGreaterThan(1);
    expect(owners.map((o) => o.owner.id).sort()).toEqual(result.review.ownership!.owners.map((o) => o.id).sort());
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

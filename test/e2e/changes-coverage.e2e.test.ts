/**
 * The coverage-gap comparison as a user meets it: analyze a snapshot, then an edited copy in which one
 * account's IAM read failed, with --previous the first review. Nothing of that account may read as removed
 * or resolved, page 1 must say how many accounts were reviewed, and the changes must name what they list.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/model/artifact.js';
import type { Review } from '../../src/model/review.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { DATADOG, EXTERNAL, ORG_ACCOUNT, account, allow, policy, role, roleArn, snapshot } from '../analyze/builders.js';
import { cli } from './cli-process.js';

const ENV = { PATH: process.env.PATH ?? '' };

function twoAccounts(): Snapshot {
  const prod = account([
    role('partner', policy(allow({ AWS: EXTERNAL }))),
    role('public', policy(allow({ AWS: '*' }))),
    role('vendor', policy(allow({ AWS: DATADOG }))),
  ]);
  const tools = account(
    [
      role('tools-partner', policy(allow({ AWS: EXTERNAL })), { arn: roleArn('tools-partner', ORG_ACCOUNT) }),
      role('tools-public', policy(allow({ AWS: '*' })), { arn: roleArn('tools-public', ORG_ACCOUNT) }),
    ],
    { accountId: ORG_ACCOUNT },
  );
  return snapshot([prod, tools]);
}

describe('changes since the previous review know coverage (analyze --snapshot --previous)', () => {
  let work: string;
  let before: Review;
  let after: Review;
  let afterDir: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'ar-changes-'));
    const first = twoAccounts();
    await writeFile(path.join(work, 'first.json'), JSON.stringify(first));
    const r1 = await cli(['analyze', '--snapshot', path.join(work, 'first.json'), '--out', path.join(work, 'first'), '--no-pdf'], ENV);
    expect(r1.code, r1.stderr).toBe(0);
    before = JSON.parse(await readFile(path.join(work, 'first', 'review.json'), 'utf8')) as Review;

    // The same estate a week later, except that the tools account's role inventory could not be read.
    const second = twoAccounts();
    second.runId = 'run-2026-12-02';
    const tools = second.accounts.find((a) => a.accountId === ORG_ACCOUNT)!;
    tools.roles = [];
    tools.coverage = tools.coverage.map((c) =>
      c.source === 'iam' ? { ...c, status: 'failed', errorCode: 'AccessDenied', detail: 'Role inventory missing: iam:GetAccountAuthorizationDetails was denied.' } : c,
    );
    await writeFile(path.join(work, 'second.json'), JSON.stringify(second));
    afterDir = path.join(work, 'second');
    const r2 = await cli(
      ['analyze', '--snapshot', path.join(work, 'second.json'), '--previous', path.join(work, 'first', 'review.json'), '--out', afterDir],
      ENV,
    );
    expect(r2.code, r2.stderr).toBe(0);
    after = JSON.parse(await readFile(path.join(afterDir, 'review.json'), 'utf8')) as Review;
  }, 240_000);

  it('removes and resolves nothing of the account that was not read; carries it forward instead', () => {
    const toolsGrants = before.accounts.find((a) => a.accountId === ORG_ACCOUNT)!.roles.flatMap((r) => r.trustGrants.map((g) => g.id));
    const toolsFindings = before.findings.filter((f) => f.accountId === ORG_ACCOUNT && f.status !== 'suppressed').map((f) => f.id);
    expect(toolsGrants.length).toBeGreaterThan(0);
    expect(toolsFindings.some((id) => before.findings.find((f) => f.id === id)?.severity === 'critical')).toBe(true);
    const c = after.changes!;
    expect(c.removedGrants).toEqual([]);
    expect(c.resolvedFindings).toEqual([]);
    expect(c.notReviewedGrants).toEqual([...toolsGrants].sort());
    expect(c.notReviewedFindings).toEqual([...toolsFindings].sort());
    expect(c.notReviewed).toEqual([{ accountId: ORG_ACCOUNT, sources: ['iam'], reason: 'the IAM role inventory could not be read (AccessDenied)' }]);
    // Every listed item is named by rule, role and account.
    for (const id of c.notReviewedFindings ?? []) {
      expect(c.findingDetails?.[id]).toMatchObject({ accountId: ORG_ACCOUNT, roleArn: expect.stringContaining(`:${ORG_ACCOUNT}:role/tools-`) });
    }
    expect(after.summary).toMatchObject({ accounts: 2, accountsReviewed: 1 });
  });

  it('says on page 1 that 1 of 2 accounts was reviewed, and names the carried items in the changes', async () => {
    const html = (await readFile(path.join(afterDir, 'report.html'), 'utf8')).replace(/<wbr>/g, '').replace(/<span class="nb">([^<]*)<\/span>/g, '$1');
    const cover = html.slice(html.indexOf('<header class="cover"'), html.indexOf('</header>'));
    expect(cover).toContain('1 of 2 accounts reviewed');
    expect(cover).not.toContain('all accounts in scope');
    expect(cover).toContain('not reviewed this time');
    const changes = html.slice(html.indexOf('id="changes"'), html.indexOf('</section>', html.indexOf('id="changes"')));
    expect(changes).toContain('Findings not reviewed this time');
    expect(changes).toContain('trust-public · tools-public (account-222222222222)');
    expect(changes).not.toContain('Resolved findings');
    expect(changes).not.toContain('Removed trust grants');

    // The printed page 1 says the same (and holds the whole cover: the changes are on it too).
    const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', path.join(afterDir, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(page1).toContain('1 of 2 accounts reviewed');
    expect(page1).toContain('6 not reviewed this time');
    expect(page1).toContain('Since the previous review');
  });

  it('ties the run to its configuration in review.json, manifest.json and the PDF', async () => {
    const manifest = JSON.parse(await readFile(path.join(afterDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(after.configuration?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.configSha256).toBe(after.configuration?.sha256);
    const text = execFileSync('pdftotext', ['-layout', path.join(afterDir, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/g, '')).toContain(after.configuration!.sha256);
    expect(text).toContain('Not covered by this review');
    // --no-pdf changed the output formats of the first run: a different configuration, a different digest.
    expect(before.configuration?.echo.output.formats).toEqual(['html', 'json', 'csv']);
    expect(before.configuration?.sha256).not.toBe(after.configuration?.sha256);
  });
});

/**
 * The explorer's data and how it is inlined: the rows it filters carry the review's real values, the JSON
 * island cannot end its script element whatever a role is called, and the CSP names the inlined script's
 * exact hash. The browser behaviour is in explorer-browser.test.ts.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExplorerData, checkInlineAsset, islandJson, type ExplorerData } from '../../src/render/explorer/index.js';
import { renderHtml } from '../../src/render/html.js';
import { defaultTemplatesDir } from '../../src/render/paths.js';
import { HOSTILE_ROLE_NAME, HOSTILE_TAG_VALUE, PROD, fixtureReview } from './fixture-review.js';

const BREAKOUT = '</script><script>alert(2)</script><!--';

function island(html: string): string {
  const m = /<script type="application\/json" id="explorer-data">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no explorer island');
  return m[1] ?? '';
}

function scripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => `${m[1] ?? ''}|${m[2] ?? ''}`);
}

describe('explorer data', () => {
  let data: ExplorerData;
  beforeAll(() => {
    const review = fixtureReview();
    // The finding about the public trust names its grant, as analyze writes it; one grant's usage is unknown.
    const role = review.accounts[0]!.roles.find((r) => r.name === HOSTILE_ROLE_NAME)!;
    review.findings.find((f) => f.id === 'f-public-trust-1')!.grantId = role.trustGrants[0]!.id;
    const other = review.accounts[0]!.roles.find((r) => r !== role && r.trustGrants.length > 0)!;
    other.trustGrants[0]!.usage = { used: false, state: 'unknown', unknownReason: 'CloudTrail not read in eu-west-1 (AccessDenied)', count: 0, callers: [] };
    data = buildExplorerData(review);
  });

  it('has one row per finding, trust grant and role of the review', () => {
    const review = fixtureReview();
    const roles = review.accounts.flatMap((a) => a.roles);
    expect(data.findings).toHaveLength(review.findings.length);
    expect(data.roles).toHaveLength(roles.length);
    expect(data.grants).toHaveLength(roles.reduce((n, r) => n + r.trustGrants.length, 0));
    expect(data.accounts).toContain(`prod-payments (${PROD})`);
  });

  it('keeps the hostile role name, its owner tag and the finding about it as plain values', () => {
    const role = data.roles.find((r) => r.n === HOSTILE_ROLE_NAME);
    expect(role).toBeDefined();
    expect(role?.o).toBe(HOSTILE_TAG_VALUE);
    expect(role?.c).toEqual(['public']);
    expect(role?.s).toBe('critical');
    expect(data.accounts[role?.a ?? -1]).toBe(`prod-payments (${PROD})`);
    const finding = data.findings.find((f) => f.h === 'finding-f-public-trust-1');
    expect(finding?.r).toBe(data.roles.indexOf(role!));
    expect(finding?.c).toBe('public');
    expect(finding?.u).toBe('used');
  });

  it('gives a finding about a whole role the role\'s usage, and no principal class', () => {
    const review = fixtureReview();
    const withoutGrant = data.findings.filter((f) => f.r !== undefined && f.c === undefined);
    expect(withoutGrant.length).toBeGreaterThan(0);
    for (const f of withoutGrant) expect(f.u).toBe(data.roles[f.r!]!.u);
    expect(review.findings.length).toBe(data.findings.length);
  });

  it('marks suppressed findings with who accepted them', () => {
    const review = fixtureReview();
    const suppressed = review.findings.filter((f) => f.status === 'suppressed');
    expect(suppressed.length).toBeGreaterThan(0);
    const rows = data.findings.filter((f) => f.st === 'suppressed');
    expect(rows.map((f) => f.so)).toEqual(suppressed.map((f) => f.suppression?.owner));
  });

  it('carries every caller of a grant for search, beyond the five the static table lists', () => {
    const review = fixtureReview();
    const grant = review.accounts[0]!.roles.flatMap((r) => r.trustGrants).find((g) => g.usage.callers.length > 0)!;
    grant.usage.callers = Array.from({ length: 8 }, (_, i) => `arn:aws:sts::303030303030:assumed-role/scanner/session-${i}`);
    const row = buildExplorerData(review).grants.find((g) => g.raw === grant.principal.raw && g.cl?.includes('session-7'));
    expect(row?.cl?.split(' ')).toEqual(grant.usage.callers);
  });

  it('carries usage as used, unused or unknown, never guessing', () => {
    const states = new Set(data.grants.map((g) => g.u));
    expect([...states].sort()).toEqual(['unknown', 'unused', 'used']);
  });
});

describe('the JSON island', () => {
  it('is printable ASCII with no markup characters, and parses back to the data', () => {
    const review = fixtureReview();
    const role = review.accounts[0]!.roles[0]!;
    role.name = BREAKOUT;
    role.description = 'line\u2028separator \u202Ereversed & <b>bold</b> \u{1F600}';
    const data = buildExplorerData(review);
    const json = islandJson(data);
    expect(json).toMatch(/^[\u0020-\u007e]*$/);
    expect(json).not.toMatch(/[<>&]/);
    const back = JSON.parse(json) as ExplorerData;
    expect(back.roles.find((r) => r.arn === role.arn)?.n).toBe(BREAKOUT);
    // Invisible characters read as escapes, as everywhere else in the report; other text is unchanged.
    expect(back.roles.find((r) => r.arn === role.arn)?.d).toBe('line\\u2028separator \\u202Ereversed & <b>bold</b> \u{1F600}');
  });
});

describe('report.html with the explorer', () => {
  let html: string;
  let review: ReturnType<typeof fixtureReview>;
  beforeAll(async () => {
    review = fixtureReview();
    review.accounts[0]!.roles[1]!.name = BREAKOUT;
    html = await renderHtml(review, { interactive: true });
  });

  it('has exactly the island and the one script, which the CSP allows by its hash and nothing else', () => {
    const found = scripts(html);
    expect(found).toHaveLength(2);
    const script = found[1]!.slice(1);
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    expect(csp).toBe(
      `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; require-trusted-types-for 'script'; trusted-types 'none'`,
    );
    expect(html.match(/Content-Security-Policy/g)).toHaveLength(1);
  });

  it('keeps a role named like a closing script tag inside the island', () => {
    const data = JSON.parse(island(html)) as ExplorerData;
    expect(data.roles.map((r) => r.n)).toContain(BREAKOUT);
    expect(data.roles.map((r) => r.n)).toContain(HOSTILE_ROLE_NAME);
    expect(html).not.toContain(BREAKOUT);
    expect(html).not.toContain(HOSTILE_ROLE_NAME);
  });

  it('is otherwise the same document as the scriptless rendering', async () => {
    const plain = await renderHtml(review);
    const stripped = html
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n<style>[\s\S]*?<\/style>\n/, '')
      .replace(/<section class="part explorer"[\s\S]*?<\/section>\n/, '')
      .replace(/<script type="application\/json"[\s\S]*?<\/script>\n<script>[\s\S]*?<\/script>\n/, '');
    expect(stripped).toBe(plain.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
  });
});

describe('report.html when the explorer cannot be built', () => {
  it('is the complete scriptless report, saying why it has no explorer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'explorer-missing-'));
    try {
      await cp(defaultTemplatesDir(), dir, { recursive: true });
      await rm(join(dir, 'explorer.js'));
      const review = fixtureReview();
      const html = await renderHtml(review, { interactive: true, templatesDir: dir });
      expect(html).toContain('No interactive explorer in this copy:</strong> access-review: cannot load the report explorer from');
      expect(html).not.toMatch(/<script\b/i);
      expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"`);
      const plain = await renderHtml(review, { templatesDir: dir });
      expect(html.replace(/<div class="callout callout-warn"><p><strong>No interactive explorer[\s\S]*?<\/div>\n/, '')).toBe(plain);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('checkInlineAsset', () => {
  it('refuses text that would end its element or change under the invisible-character pass', () => {
    expect(() => checkInlineAsset('x.js', 'let a = "</script>";', 'script')).toThrow(/cannot be inlined/);
    expect(() => checkInlineAsset('x.js', 'let a = "<!--";', 'script')).toThrow(/cannot be inlined/);
    expect(() => checkInlineAsset('x.js', 'let a = "\u202E";', 'script')).toThrow(/printable ASCII/);
    expect(() => checkInlineAsset('x.css', 'a{}</STYLE>', 'style')).toThrow(/cannot be inlined/);
    expect(() => checkInlineAsset('x.js', 'let a = 1;\n', 'script')).not.toThrow();
  });
});

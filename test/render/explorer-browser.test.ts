/**
 * The explorer in a real browser (Chromium, JavaScript on): on the demo's report.html, filters, sorting,
 * search and the URL fragment give the counts review.json says they should; on a review full of hostile
 * strings nothing runs, nothing is fetched and no element appears outside the explorer's own tables; an
 * injected script is refused by the CSP; and the PDF printed from the interactive HTML is the scriptless one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '../../src/model/review.js';
import { renderHtml } from '../../src/render/html.js';
import { CHROMIUM_ARGS, renderPdf, resolveChromiumPath } from '../../src/render/pdf.js';
import { cli } from '../e2e/cli-process.js';
import { HOSTILE_ROLE_NAME, HOSTILE_TAG_VALUE, fixtureReview } from './fixture-review.js';

const TIMEOUT = 240_000;

/** The strings the project's render tests use, plus ones aimed at a script element and a JSON parser. */
const HOSTILE = [
  HOSTILE_ROLE_NAME,
  HOSTILE_TAG_VALUE,
  '</script><script>alert(2)</script>',
  '<!--<script>alert(3)//',
  '</style><style>body{display:none}</style>{{runId}}',
  '<iframe src="javascript:alert(4)"></iframe>',
  'javascript:alert(5)',
  '"};alert(6);//\u2028',
  '<svg onload=alert(7)>',
  '__proto__',
  'constructor',
];

interface Watch {
  page: Page;
  dialogs: string[];
  requests: string[];
  errors: string[];
}

/** A page that records dialogs, every request other than the document itself, and script errors. */
async function openPage(browser: Browser, file: string, fragment = '', javascript = true): Promise<Watch> {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.setJavaScriptEnabled(javascript);
  const url = pathToFileURL(file).href;
  const watch: Watch = { page, dialogs: [], requests: [], errors: [] };
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => watch.errors.push(String(e)));
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (r.url() === url || r.url() === url + fragment) return void r.continue();
    watch.requests.push(r.url());
    void r.abort('blockedbyclient');
  });
  // Observes CSP refusals; DevTools-injected code is not subject to the page's CSP, the page's own is.
  await page.evaluateOnNewDocument(`document.addEventListener('securitypolicyviolation', (e) => {
    (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI);
  });`);
  await page.goto(url + fragment, { waitUntil: 'load', timeout: TIMEOUT });
  return watch;
}

/** Runs in the page (a string: the test project has no DOM typings). */
function pageEval<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

interface ExplorerState {
  hidden: boolean;
  matching: number;
  total: number;
  rows: number;
  hash: string;
  countText: string;
}

function explorerState(page: Page): Promise<ExplorerState> {
  return pageEval(
    page,
    `(() => {
      const count = document.getElementById('explorer-count');
      return {
        hidden: document.getElementById('explore').hidden,
        matching: Number(count ? count.getAttribute('data-matching') : -1),
        total: Number(count ? count.getAttribute('data-total') : -1),
        rows: document.querySelectorAll('.explorer-table tbody tr').length,
        hash: location.hash,
        countText: count ? count.textContent : '',
      };
    })()`,
  );
}

/** Column texts of the shown rows, by the column's data-col id. */
function column(page: Page, id: string): Promise<string[]> {
  return pageEval(
    page,
    `(() => {
      const cols = [...document.querySelectorAll('.explorer-table thead th')].map((th) => th.getAttribute('data-col'));
      const i = cols.indexOf(${JSON.stringify(id)});
      return [...document.querySelectorAll('.explorer-table tbody tr')].map((tr) => tr.children[i].textContent);
    })()`,
  );
}

async function choose(page: Page, filter: string, value: string): Promise<void> {
  await page.select(`select[data-filter="${filter}"]`, value);
}

async function searchFor(page: Page, text: string): Promise<void> {
  await page.$eval('#explorer-search', (el) => {
    (el as unknown as { value: string }).value = '';
  });
  await page.type('#explorer-search', text);
  // The search applies after a short pause in typing: wait until the fragment carries it.
  await page.waitForFunction(`new URLSearchParams(location.hash.slice(location.hash.indexOf('?') + 1)).get('q') === ${JSON.stringify(text)}`, {
    timeout: TIMEOUT,
  });
}

function hashParams(hash: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(hash.slice(hash.indexOf('?') + 1)));
}

let browser: Browser;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'explorer-browser-'));
  browser = await puppeteer.launch({
    executablePath: resolveChromiumPath(),
    headless: true,
    // The product's flags: no background networking (update checks, sync), which would leave this machine.
    args: [...CHROMIUM_ARGS],
    protocolTimeout: TIMEOUT,
  });
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await rm(work, { recursive: true, force: true });
});

describe('the explorer on the demo report', () => {
  let report: string;
  let review: Review;

  beforeAll(async () => {
    const out = join(work, 'demo');
    // The demo as a user runs it, without the PDF (printing is tested elsewhere and costs minutes here).
    const result = await cli(['demo', '--out', out], { ACCESS_REVIEW_CONFIG: JSON.stringify({ output: { formats: ['html', 'json'] } }) });
    if (result.code !== 0) throw new Error(`demo failed (${result.code}): ${result.stderr.slice(-2000)}`);
    report = join(out, 'report.html');
    review = JSON.parse(await readFile(join(out, 'review.json'), 'utf8')) as Review;
  }, TIMEOUT);

  it('shows every finding, then filters by severity and status with the count and the fragment to match', async () => {
    const { page, dialogs, requests, errors } = await openPage(browser, report);
    try {
      const start = await explorerState(page);
      expect(start.hidden).toBe(false);
      expect(start.total).toBe(review.findings.length);
      expect(start.matching).toBe(review.findings.length);
      expect(start.rows).toBe(Math.min(100, review.findings.length));
      if (review.findings.length > 100) {
        expect(start.countText).toContain('showing the first 100');
        await page.click('button.explorer-more');
        expect((await explorerState(page)).rows).toBe(Math.min(200, review.findings.length));
      }

      const high = review.findings.filter((f) => f.severity === 'high');
      expect(high.length).toBeGreaterThan(0);
      await choose(page, 'severity', 'high');
      const filtered = await explorerState(page);
      expect(filtered.matching).toBe(high.length);
      expect(filtered.countText).toContain(`${high.length} of ${review.findings.length} findings match`);
      expect(new Set(await column(page, 'severity'))).toEqual(new Set(['High']));
      expect(hashParams(filtered.hash)).toEqual({ tab: 'findings', severity: 'high' });

      await choose(page, 'severity', 'high+');
      const highOrAbove = review.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
      expect((await explorerState(page)).matching).toBe(highOrAbove.length);
      expect(new Set(await column(page, 'severity'))).toEqual(new Set(['Critical', 'High']));
      expect(await page.$eval('select[data-filter="severity"] option[value="high+"]', (el) => el.textContent)).toBe(`High or above (${highOrAbove.length})`);
      await choose(page, 'severity', 'high');

      const rule = high[0]!.ruleId;
      await choose(page, 'rule', rule);
      const both = await explorerState(page);
      expect(both.matching).toBe(high.filter((f) => f.ruleId === rule).length);
      expect(new Set(await column(page, 'rule'))).toEqual(new Set([rule]));

      await choose(page, 'severity', '');
      await choose(page, 'rule', '');
      await choose(page, 'status', 'open');
      expect((await explorerState(page)).matching).toBe(review.findings.filter((f) => f.status === 'open').length);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, TIMEOUT);

  it('sorts roles by a column, both ways, and keeps the sort in the fragment', async () => {
    const { page } = await openPage(browser, report);
    try {
      await page.click('button[data-tab="roles"]');
      const roles = review.accounts.flatMap((a) => a.roles);
      expect((await explorerState(page)).total).toBe(roles.length);
      await page.click('button[data-sort="grants"]');
      const asc = (await column(page, 'grants')).map(Number);
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      expect(asc[0]).toBe(Math.min(...roles.map((r) => r.trustGrants.length)));
      expect(hashParams((await explorerState(page)).hash)).toMatchObject({ tab: 'roles', sort: 'grants', dir: 'asc' });
      await page.click('button[data-sort="grants"]');
      const desc = (await column(page, 'grants')).map(Number);
      expect(desc).toEqual([...desc].sort((a, b) => b - a));
      expect(desc[0]).toBe(Math.max(...roles.map((r) => r.trustGrants.length)));
      expect(hashParams((await explorerState(page)).hash)).toMatchObject({ sort: 'grants', dir: 'desc' });

      await page.click('button[data-sort="risk"]');
      const risk = (await column(page, 'risk')).map((t) => Number(t.replace(/,/g, '')));
      expect(risk).toEqual([...risk].sort((a, b) => a - b));
      expect(risk[0]).toBe(Math.min(...roles.map((r) => r.riskScore)));
    } finally {
      await page.close();
    }
  }, TIMEOUT);

  it('searches by text across names and ARNs', async () => {
    const { page } = await openPage(browser, report);
    try {
      await page.click('button[data-tab="roles"]');
      const roles = review.accounts.flatMap((a) => a.roles);
      const target = roles[roles.length - 1]!;
      await searchFor(page, target.arn);
      const state = await explorerState(page);
      expect(state.matching).toBe(roles.filter((r) => r.arn.toLowerCase().includes(target.arn.toLowerCase())).length);
      expect(await column(page, 'role')).toContain(target.name + (target.description ?? ''));
      await searchFor(page, 'no-such-role-anywhere');
      expect((await explorerState(page)).matching).toBe(0);

      // A caller CloudTrail recorded finds the grants it came in through.
      await page.click('button[data-tab="grants"]');
      const grants = roles.flatMap((r) => r.trustGrants);
      const caller = grants.flatMap((g) => g.usage.callers).find((c) => c.includes(':assumed-role/') || c.includes(':user/'));
      expect(caller).toBeDefined();
      await searchFor(page, caller!);
      const withCaller = grants.filter((g) => g.usage.callers.some((c) => c.toLowerCase().includes(caller!.toLowerCase())));
      expect((await explorerState(page)).matching).toBeGreaterThanOrEqual(withCaller.length);
      expect((await explorerState(page)).matching).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  }, TIMEOUT);

  it('opens the view a link names: tab, filters, search and sort from the fragment', async () => {
    const grants = review.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants));
    const byClass = new Map<string, number>();
    for (const g of grants) byClass.set(g.principal.class, (byClass.get(g.principal.class) ?? 0) + 1);
    const [cls] = [...byClass].sort((a, b) => b[1] - a[1])[0]!;
    const state = (g: (typeof grants)[number]): string => g.usage.state ?? (g.usage.used ? 'used' : 'unused');
    const usage = state(grants.find((g) => g.principal.class === cls)!);
    const expected = grants.filter((g) => g.principal.class === cls && state(g) === usage).length;
    const fragment = `#explore?tab=grants&class=${cls}&usage=${usage}&sort=principal&dir=desc`;
    const { page } = await openPage(browser, report, fragment);
    try {
      const s = await explorerState(page);
      expect(s.matching).toBe(expected);
      expect(s.total).toBe(grants.length);
      expect(await page.$eval('select[data-filter="class"]', (el) => (el as unknown as { value: string }).value)).toBe(cls);
      expect(await page.$eval('select[data-filter="usage"]', (el) => (el as unknown as { value: string }).value)).toBe(usage);
      expect(await page.$eval('th[data-col="principal"]', (el) => el.getAttribute('aria-sort'))).toBe('descending');
      expect(hashParams(s.hash)).toEqual({ tab: 'grants', class: cls, usage, sort: 'principal', dir: 'desc' });
      // Going to an anchor and back (the browser's back button) restores the view from the fragment.
      await page.goto(pathToFileURL(report).href + `#explore?tab=roles&q=${encodeURIComponent(review.accounts[0]!.roles[0]!.name)}`);
      await page.waitForFunction(`document.querySelector('button[data-tab="roles"]').getAttribute('aria-pressed') === 'true'`);
      expect((await explorerState(page)).matching).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  }, TIMEOUT);

  it('leaves a link to a role card alone: the fragment stays and the card is scrolled to', async () => {
    const roles = review.accounts.flatMap((a) => a.roles);
    const target = roles[Math.floor(roles.length / 2)]!;
    const anchor = `#role-${target.arn.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
    const { page } = await openPage(browser, report, anchor);
    try {
      await page.waitForFunction(`Math.abs(document.getElementById(${JSON.stringify(anchor.slice(1))}).getBoundingClientRect().top) < 50`, { timeout: TIMEOUT });
      expect(await pageEval<string>(page, 'location.hash')).toBe(anchor);
      expect((await explorerState(page)).hidden).toBe(false);
    } finally {
      await page.close();
    }
  }, TIMEOUT);

  it('with scripts off, leaves the explorer hidden and the static report complete', async () => {
    const { page } = await openPage(browser, report, '', false);
    try {
      const dom = await pageEval<{ hidden: boolean; visible: boolean; cards: number; rows: number }>(
        page,
        `({
          hidden: document.getElementById('explore').hidden,
          visible: document.getElementById('explore').getClientRects().length > 0,
          cards: document.querySelectorAll('table.role-card').length,
          rows: document.querySelectorAll('#explorer-app *').length,
        })`,
      );
      expect(dom).toEqual({ hidden: true, visible: false, cards: review.accounts.reduce((n, a) => n + a.roles.length, 0), rows: 0 });
    } finally {
      await page.close();
    }
  }, TIMEOUT);
});

/** A review with the hostile strings in role names, descriptions, tags, condition values and callers. */
function hostileReview(): Review {
  const review = fixtureReview();
  const roles = review.accounts.flatMap((a) => a.roles);
  HOSTILE.forEach((s, i) => {
    const role = roles[i % roles.length]!;
    role.name = `${s} ${i}`;
    role.description = s;
    role.tags = [
      { key: 'owner', value: s },
      { key: s, value: s },
    ];
    for (const g of role.trustGrants) {
      g.guards = [{ kind: 'external-id', operator: 'StringEquals', key: 'sts:ExternalId', values: [s], effective: true }];
      g.conditions = { StringEquals: { 'sts:ExternalId': [s] } };
      g.usage = { ...g.usage, callers: [s] };
      g.principal = { ...g.principal, label: s, raw: s };
    }
    role.usage.callers = role.usage.callers.map((c) => ({ ...c, id: s }));
  });
  review.findings.forEach((f, i) => {
    const s = HOSTILE[i % HOSTILE.length]!;
    f.title = s;
    f.message = s;
    if (f.suppression) f.suppression = { ...f.suppression, owner: s, reason: s };
  });
  return review;
}

/** Tag names of every element outside the explorer's own container, in document order. */
const OUTSIDE_EXPLORER = `[...document.querySelectorAll('*')].filter((el) => !el.closest('#explorer-app')).map((el) => el.tagName).join(',')`;

describe('the explorer with hostile data', () => {
  let file: string;
  let html: string;

  beforeAll(async () => {
    html = await renderHtml(hostileReview(), { interactive: true });
    file = join(work, 'hostile.html');
    await writeFile(file, html);
  }, TIMEOUT);

  it('shows every hostile string as text: no dialog, no request, no element but its own', async () => {
    const off = await openPage(browser, file, '', false);
    const staticTags = await pageEval<string>(off.page, OUTSIDE_EXPLORER);
    await off.page.close();

    const { page, dialogs, requests, errors } = await openPage(browser, file);
    try {
      for (const tab of ['findings', 'grants', 'roles']) {
        await page.click(`button[data-tab="${tab}"]`);
        for (const raw of HOSTILE) {
          // Invisible characters read as escapes in the report ("\u2028"), so that is what a reader searches for.
          const s = raw.replace('\u2028', '\\u2028');
          await searchFor(page, s);
          const state = await explorerState(page);
          expect(state.matching, `${tab}: ${s}`).toBeGreaterThan(0);
          const text = await pageEval<string>(page, `document.querySelector('.explorer-table tbody').textContent`);
          expect(text).toContain(s);
        }
      }
      // Suppressed findings are one filter away, as accepted risks.
      await page.click('button[data-tab="findings"]');
      await page.click('button.explorer-reset');
      await choose(page, 'status', 'suppressed');
      const suppressed = fixtureReview().findings.filter((f) => f.status === 'suppressed').length;
      expect(suppressed).toBeGreaterThan(0);
      expect((await explorerState(page)).matching).toBe(suppressed);
      expect(hashParams((await explorerState(page)).hash)).toEqual({ tab: 'findings', status: 'suppressed' });

      const explorerDom = await pageEval<{ tags: string[]; handlers: number; hrefs: string[] }>(
        page,
        `({
          tags: [...new Set([...document.querySelectorAll('#explorer-app *')].map((el) => el.tagName.toLowerCase()))].sort(),
          handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
          hrefs: [...document.querySelectorAll('#explorer-app a')].map((a) => a.getAttribute('href')),
        })`,
      );
      expect(explorerDom.tags.filter((t) => !['a', 'button', 'div', 'input', 'label', 'option', 'p', 'select', 'span', 'table', 'tbody', 'td', 'th', 'thead', 'tr'].includes(t))).toEqual([]);
      expect(explorerDom.handlers).toBe(0);
      expect(explorerDom.hrefs.every((h) => /^#[A-Za-z0-9_-]+$/.test(h))).toBe(true);
      expect(await pageEval<string>(page, OUTSIDE_EXPLORER)).toBe(staticTags);
      expect(await pageEval<unknown>(page, 'window.__violations')).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, TIMEOUT);

  it('takes a fragment naming no table or a prototype property as the findings view, without an error', async () => {
    const { page, errors } = await openPage(browser, file, '#explore?tab=__proto__&severity=constructor&owner=__proto__&sort=toString');
    try {
      const s = await explorerState(page);
      expect(s.hidden).toBe(false);
      expect(s.total).toBe(fixtureReview().findings.length);
      // A severity no finding has filters to nothing; an owner tag "__proto__" is a value like any other.
      expect(s.matching).toBe(0);
      expect(await page.$eval('select[data-filter="owner"]', (el) => (el as unknown as { value: string }).value)).toBe('__proto__');
      await choose(page, 'severity', '');
      const review = hostileReview();
      const owned = new Set(review.accounts.flatMap((a) => a.roles).filter((r) => r.tags.some((t) => t.key === 'owner' && t.value === '__proto__')).map((r) => r.arn));
      expect(owned.size).toBe(1);
      expect((await explorerState(page)).matching).toBe(review.findings.filter((f) => owned.has(f.resource)).length);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, TIMEOUT);

  it('refuses a script that escaped escaping, while the explorer still runs', async () => {
    // As if a value had reached the page unescaped: an inline script, an event handler and a remote script.
    const injected = html.replace(
      '<body>',
      `<body><script>document.title = 'INJECTED'; alert('inline')</script><img src="x" onerror="document.title = 'HANDLER'"><script src="http://127.0.0.1:9/x.js"></script>`,
    );
    const file2 = join(work, 'injected.html');
    await writeFile(file2, injected);
    const { page, dialogs, requests } = await openPage(browser, file2);
    try {
      const title = await page.title();
      expect(title).not.toMatch(/INJECTED|HANDLER/);
      const violations = await pageEval<string[]>(page, 'window.__violations || []');
      expect(violations.some((v) => v.startsWith('script-src-elem inline'))).toBe(true);
      expect(violations.some((v) => v.startsWith('script-src-attr inline'))).toBe(true);
      expect(violations.some((v) => v.includes('127.0.0.1:9'))).toBe(true);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
      expect((await explorerState(page)).hidden).toBe(false);
    } finally {
      await page.close();
    }
  }, TIMEOUT);

  it('prints the same PDF from the interactive HTML as from the scriptless one', async () => {
    const review = hostileReview();
    const [plain, interactive] = [await renderPdf(await renderHtml(review)), await renderPdf(html)];
    const text = async (pdf: Uint8Array, name: string): Promise<string> => {
      const path = join(work, name);
      await writeFile(path, pdf);
      return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    };
    const [a, b] = [await text(plain, 'plain.pdf'), await text(interactive, 'interactive.pdf')];
    expect(b).toBe(a);
    expect(b).not.toContain('Explore the evidence');
  }, TIMEOUT);
});

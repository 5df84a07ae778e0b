#!/usr/bin/env node
// Measures report.html's explorer at the size of a large organization: the HTML's size (and the JSON
// island's share), how long Chromium takes to open the page with JavaScript on, and how long a filter, a
// sort and a search take to apply (until the next frame is painted). Runs against the compiled code:
//   npm run build && node scripts/bench-explorer.mjs [roles=10000]
// Prints human-readable figures, then one JSON object as the last line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import puppeteer from 'puppeteer-core';

const { renderHtml, resolveChromiumPath } = await import('../dist/render/index.js');
const { CHROMIUM_ARGS } = await import('../dist/render/pdf.js');

const ROLES = Number(process.argv[2] ?? 10000);
const NOW = '2026-11-25T06:00:00.000Z';
const CLASSES = ['same-account', 'org-account', 'known-vendor', 'external', 'service', 'federated-oidc', 'federated-saml', 'public', 'deleted', 'unknown'];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const RULES = ['trust.external-without-external-id', 'usage.unused-cross-account-grant', 'trust.public-principal', 'permissions.privilege-escalation', 'trust.cross-account-without-mfa'];

// Deterministic pseudo-random numbers, so every run measures the same document.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (list) => list[Math.floor(rand() * list.length)];

function principal(cls, i, accountId) {
  const acct = String(100000000000 + ((i * 7919) % 899999999999)).padStart(12, '0');
  switch (cls) {
    case 'service': return { raw: 'lambda.amazonaws.com', type: 'Service', kind: 'service', class: cls, label: 'AWS service lambda.amazonaws.com' };
    case 'public': return { raw: '*', type: '*', kind: 'wildcard', class: cls, label: 'Anyone' };
    case 'same-account': return { raw: `arn:aws:iam::${accountId}:root`, type: 'AWS', kind: 'account', class: cls, accountId, label: `Account ${accountId} (any principal)` };
    default: return { raw: `arn:aws:iam::${acct}:role/automation-${i}`, type: 'AWS', kind: 'role', class: cls, accountId: acct, label: `Role automation-${i} in ${acct}` };
  }
}

function buildReview(roleTotal) {
  const accounts = [];
  const findings = [];
  let grants = 0;
  for (let a = 0, roleNo = 0; roleNo < roleTotal; a++) {
    const accountId = String(200000000000 + a);
    const roles = [];
    for (let r = 0; r < 100 && roleNo < roleTotal; r++, roleNo++) {
      const arn = `arn:aws:iam::${accountId}:role/team-${roleNo % 17}/workload-role-${roleNo}`;
      // Most roles trust a few principals; a few trust a long list of accounts.
      const n = rand() < 0.05 ? 20 + Math.floor(rand() * 40) : 1 + Math.floor(rand() * 5);
      const trustGrants = [];
      for (let g = 0; g < n; g++, grants++) {
        const p = principal(pick(CLASSES), grants, accountId);
        const used = rand() < 0.6;
        trustGrants.push({
          id: `${arn}#${g}#${p.raw}`, roleArn: arn, accountId, statementIndex: g, actions: ['sts:AssumeRole'], principal: p,
          guards: rand() < 0.5 ? [{ kind: 'external-id', operator: 'StringEquals', key: 'sts:ExternalId', values: [`ext-${grants}`], effective: true }] : [],
          conditions: {},
          usage: used
            ? { used, state: 'used', count: 1 + Math.floor(rand() * 500), firstSeen: '2026-09-01T00:00:00.000Z', lastSeen: `2026-11-${String(1 + Math.floor(rand() * 24)).padStart(2, '0')}T00:00:00.000Z`, callers: [`arn:aws:sts::${p.accountId ?? accountId}:assumed-role/caller/${grants}`] }
            : { used, state: rand() < 0.1 ? 'unknown' : 'unused', count: 0, callers: [] },
        });
      }
      const findingIds = [];
      for (let f = Math.floor(rand() * 4); f > 0; f--) {
        const id = `f-${roleNo}-${f}`;
        const grant = pick(trustGrants);
        findingIds.push(id);
        findings.push({
          id, ruleId: pick(RULES), severity: pick(SEVERITIES), title: 'Synthetic finding for the benchmark', accountId, resource: arn, grantId: grant.id,
          message: 'A grant that the synthetic generator flagged, with a message of realistic length for the table.',
          evidence: [{ label: 'Principal', value: grant.principal.raw }, { label: 'Guards', value: 'none' }],
          remediation: 'Remove the grant or add an ExternalId condition agreed with the trusted party.', score: Math.floor(rand() * 100),
          status: rand() < 0.05 ? 'suppressed' : 'open',
        });
      }
      roles.push({
        arn, name: `workload-role-${roleNo}`, accountId, path: `/team-${roleNo % 17}/`, createDate: '2024-01-01T00:00:00.000Z',
        tags: rand() < 0.7 ? [{ key: 'owner', value: `team-${roleNo % 17}@example.com` }] : [],
        trustGrants,
        permissions: { adminEquivalent: rand() < 0.1, readEverything: rand() < 0.2, privilegeEscalation: [], allowedActionCount: Math.floor(rand() * 5000), highlights: ['s3:GetObject'], gaps: [], policies: [{ name: 'ReadOnlyAccess', kind: 'aws-managed' }] },
        usage: { assumeCount: trustGrants.reduce((s, g) => s + g.usage.count, 0), callers: [], lastUsed: '2026-11-20T00:00:00.000Z' },
        findingIds, riskScore: Math.floor(rand() * 100),
      });
    }
    accounts.push({ accountId, accountName: `account-${a}`, analyzers: [], coverage: [], roles });
  }
  for (const f of findings) if (f.status === 'suppressed') f.suppression = { ruleId: f.ruleId, resource: f.resource, reason: 'accepted for the benchmark', owner: 'security@example.com', expires: '2027-06-30' };
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]));
  return {
    kind: 'access-review/review', schemaVersion: '1.0', runId: 'bench', generatedAt: NOW, snapshotCollectedAt: NOW,
    tool: { name: 'access-review', version: 'bench' },
    scope: { mode: 'organization', regions: ['us-east-1'], window: { start: '2026-08-27T06:00:00.000Z', end: NOW } },
    window: { start: '2026-08-27T06:00:00.000Z', end: NOW },
    summary: {
      accounts: accounts.length, roles: roleTotal, trustGrants: grants,
      grantsByClass: Object.fromEntries(CLASSES.map((c) => [c, accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants)).filter((g) => g.principal.class === c).length])),
      findingsBySeverity, openFindings: findings.filter((f) => f.status !== 'suppressed').length, suppressedFindings: findings.filter((f) => f.status === 'suppressed').length,
      unusedRoles: 0, unusedCrossAccountGrants: 0, coverageGaps: 0, riskScore: 50,
      topActions: findings.slice(0, 5).map((f) => ({ title: f.title, severity: f.severity, findingIds: [f.id], score: f.score })),
    },
    accounts, findings, reach: [], unmatchedSuppressions: [],
    coverage: accounts.map((a) => ({ accountId: a.accountId, source: 'iam', status: 'ok', apiCalls: 3 })),
  };
}

const review = buildReview(ROLES);
let t0 = performance.now();
const html = await renderHtml(review, { interactive: true });
const htmlMs = Math.round(performance.now() - t0);
const islandBytes = Buffer.byteLength(/<script type="application\/json" id="explorer-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '');
mkdirSync('out/bench-explorer', { recursive: true });
const file = resolve('out/bench-explorer/report.html');
writeFileSync(file, html);

// In the page: apply a change, then wait two animation frames so layout and paint of the new rows count.
const APPLY = `(async (action) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const t0 = performance.now();
  action();
  await frame(); await frame();
  return performance.now() - t0;
})`;

const browser = await puppeteer.launch({ executablePath: resolveChromiumPath(), headless: true, args: [...CHROMIUM_ARGS], protocolTimeout: 600_000 });
let figures;
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  t0 = performance.now();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 600_000 });
  const openWallMs = Math.round(performance.now() - t0);
  const nav = await page.evaluate(`(() => {
    const n = performance.getEntriesByType('navigation')[0];
    const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
    const ready = performance.getEntriesByName('access-review-explorer-ready')[0];
    return { ready: ready ? ready.startTime : null, domInteractive: n.domInteractive, domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, fcp: paint ? paint.startTime : null,
      explorerShown: !document.getElementById('explore').hidden, total: Number(document.getElementById('explorer-count').getAttribute('data-total')) };
  })()`);
  // A second load: the explorer used as soon as it is ready, while the parser is still reading the evidence.
  const early = await browser.newPage();
  await early.setViewport({ width: 1400, height: 900 });
  const loading = early.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 600_000 });
  for (;;) {
    // Until the new document exists, evaluating may fail or answer for about:blank: poll.
    const ready = await early.evaluate(`location.protocol === 'file:' && performance.getEntriesByName('access-review-explorer-ready').length > 0`).catch(() => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const earlyFilterMs = await early.evaluate(`${APPLY}(() => { const s = document.querySelector('select[data-filter="severity"]'); s.value = 'high'; s.dispatchEvent(new Event('change')); })`);
  const earlyStillLoading = await early.evaluate(`document.readyState !== 'complete'`);
  await loading;
  await early.close();
  const filterMs = await page.evaluate(`${APPLY}(() => { const s = document.querySelector('select[data-filter="severity"]'); s.value = 'high'; s.dispatchEvent(new Event('change')); })`);
  const matchingHigh = Number(await page.evaluate(`document.getElementById('explorer-count').getAttribute('data-matching')`));
  await page.click('button[data-tab="grants"]');
  const grantFilterMs = await page.evaluate(`${APPLY}(() => { const s = document.querySelector('select[data-filter="class"]'); s.value = 'external'; s.dispatchEvent(new Event('change')); })`);
  const sortMs = await page.evaluate(`${APPLY}(() => document.querySelector('button[data-sort="principal"]').click())`);
  await page.click('button[data-tab="roles"]');
  // The search box waits 120 ms after the last key before applying; this measures the applying itself.
  const searchMs = await page.evaluate(`(async () => {
    const box = document.getElementById('explorer-search');
    box.value = 'workload-role-99';
    const t0 = performance.now();
    box.dispatchEvent(new Event('input'));
    await new Promise((r) => { const check = () => (location.hash.includes('q=workload-role-99') ? r() : setTimeout(check, 1)); check(); });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    return performance.now() - t0 - 120;
  })()`);
  figures = { openWallMs, ...nav, earlyFilterMs: Math.round(earlyFilterMs), earlyStillLoading, filterMs: Math.round(filterMs), matchingHigh, grantFilterMs: Math.round(grantFilterMs), sortMs: Math.round(sortMs), searchMs: Math.round(searchMs), errors };
} finally {
  await browser.close();
}

const grantCount = review.summary.trustGrants;
const result = {
  roles: ROLES,
  grants: grantCount,
  findings: review.findings.length,
  htmlBytes: Buffer.byteLength(html),
  islandBytes,
  htmlMs,
  explorerReadyMs: figures.ready === null ? null : Math.round(figures.ready),
  loadMs: Math.round(figures.load),
  openWallMs: figures.openWallMs,
  firstContentfulPaintMs: figures.fcp === null ? null : Math.round(figures.fcp),
  domContentLoadedMs: Math.round(figures.domContentLoaded),
  filterMs: figures.filterMs,
  filterWhileLoadingMs: figures.earlyFilterMs,
  stillLoadingThen: figures.earlyStillLoading,
  grantFilterMs: figures.grantFilterMs,
  sortMs: figures.sortMs,
  searchMs: figures.searchMs,
  explorerShown: figures.explorerShown,
  pageErrors: figures.errors.length,
};
console.log(`review: ${ROLES} roles, ${grantCount} grants, ${result.findings} findings`);
console.log(`html:   ${(result.htmlBytes / 1048576).toFixed(1)} MiB (explorer data ${(islandBytes / 1048576).toFixed(1)} MiB), rendered in ${htmlMs} ms`);
console.log(`open:   first paint ${result.firstContentfulPaintMs} ms, explorer ready ${result.explorerReadyMs} ms, DOMContentLoaded ${result.domContentLoadedMs} ms, load ${result.loadMs} ms; ${result.openWallMs} ms as Puppeteer saw it`);
console.log(`early:  the same filter as soon as the explorer is ready, ${result.stillLoadingThen ? 'while the page is still loading' : 'after the page had loaded'}: ${result.filterWhileLoadingMs} ms`);
console.log(`apply:  severity filter on findings ${result.filterMs} ms (${figures.matchingHigh} match), class filter on grants ${result.grantFilterMs} ms, sort grants ${result.sortMs} ms, search roles ${result.searchMs} ms`);
console.log(JSON.stringify(result));

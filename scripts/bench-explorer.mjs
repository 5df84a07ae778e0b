#!/usr/bin/env node
// Measures report.html's explorer at the size of a large organization: the HTML's size (and the JSON
// island's share), how long Chromium takes to open the page with JavaScript on, and how long a filter, a
// sort and a search take to apply (until the next frame is painted). Runs against the compiled code:
//   npm run build && node scripts/bench-explorer.mjs [roles=10000] [flaggedShare=1]
// Prints human-readable figures, then one JSON object as the last line.
import './on-supported-node.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import puppeteer from 'puppeteer-core';
import { buildSyntheticReview } from './synthetic-review.mjs';

const { renderHtml, resolveChromiumPath } = await import('../dist/render/index.js');
const { CHROMIUM_ARGS } = await import('../dist/render/pdf.js');

const ROLES = Number(process.argv[2] ?? 10000);
// Every role flagged by default: the heaviest explorer (the most grants and findings to filter).
const FLAGGED_SHARE = Number(process.argv[3] ?? 1);

const review = buildSyntheticReview({ roles: ROLES, flaggedShare: FLAGGED_SHARE });
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
  flaggedShare: FLAGGED_SHARE,
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

#!/usr/bin/env node
// Owner reports benchmark (issue 10): what one report per owner adds to a run. The snapshot is collected
// once from the emulator (CloudTrail rate limit off) and analyzed; owners are assigned by hand, accounts
// round-robin, and each owner's review is scoped (src/analyze/scope-review.ts) and rendered (HTML and JSON,
// and the PDF with --pdf, all PDFs printed by one Chromium as the pipeline does).
// Usage: npm run build && node scripts/bench-owner-reports.mjs [--accounts 40 --roles 60 --owners 10 --pdf]
// Prints figures, then one JSON object on the last line.
import './on-supported-node.mjs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../dist/emulator/index.js';
import { createClientFactory } from '../dist/collect/clients.js';
import { collectSnapshot } from '../dist/collect/index.js';
import { resolveConfig } from '../dist/config/load-config.js';
import { analyze } from '../dist/analyze/index.js';
import { scopeReview } from '../dist/analyze/scope-review.js';
import { loadActionCatalog } from '../dist/catalog/load-action-catalog.js';
import { loadVendors } from '../dist/config/vendors.js';
import { openPdfRenderer, renderHtml, renderReportPdf, renderReviewJson } from '../dist/render/index.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '40' },
    roles: { type: 'string', default: '60' },
    events: { type: 'string', default: '200' },
    owners: { type: 'string', default: '10' },
    seed: { type: 'string', default: '42' },
    pdf: { type: 'boolean', default: false },
  },
});
const now = new Date();
const emu = await startEmulator({
  seed: Number(values.seed),
  now,
  lookupEventsPerSecond: 0,
  org: { memberAccounts: Number(values.accounts), rolesPerAccount: Number(values.roles), eventsPerAccount: Number(values.events) },
});
try {
  const config = resolveConfig({ scope: { mode: 'organization', concurrency: 16 }, aws: { endpoint: emu.endpoint, s3ForcePathStyle: true }, regions: emu.org.regions }, {});
  const clients = createClientFactory(config.aws, emu.credentials);
  const snapshot = await collectSnapshot(config, { clients, now, runId: 'bench', tool: { name: 'access-review', version: 'bench' } });
  const review = analyze(snapshot, { now, settings: { unusedAfterDays: 90, extraVendors: [], suppressions: [], leastPrivilege: config.analysis.leastPrivilege }, catalog: await loadActionCatalog(), vendors: loadVendors([]) });
  const count = Math.max(1, Math.min(Number(values.owners), review.accounts.length));
  const owners = Array.from({ length: count }, (_, i) => {
    const accounts = review.accounts.filter((_, j) => j % count === i);
    return { ownerId: `owner-${i + 1}`, ownerName: `Owner ${i + 1}`, accountIds: accounts.map((a) => a.accountId), roleArns: accounts.flatMap((a) => a.roles.map((r) => r.arn)) };
  });
  const t0 = performance.now();
  const scoped = owners.map((o) => scopeReview(review, o));
  const scopeMs = performance.now() - t0;
  const t1 = performance.now();
  let htmlBytes = 0;
  let jsonBytes = 0;
  for (const s of scoped) {
    htmlBytes += (await renderHtml(s, { interactive: true })).length;
    jsonBytes += renderReviewJson(s).length;
  }
  const renderMs = performance.now() - t1;
  let pdfMs;
  let pdfBytes = 0;
  if (values.pdf) {
    const t2 = performance.now();
    const renderer = await openPdfRenderer({});
    try {
      for (const s of scoped) pdfBytes += (await renderReportPdf(s, { renderer })).byteLength;
    } finally {
      await renderer.close();
    }
    pdfMs = performance.now() - t2;
  }
  const roles = review.summary.roles;
  console.log(`Organization: ${review.accounts.length} accounts, ${roles} roles, ${review.findings.length} findings; ${count} owners.`);
  console.log(`Scoping all owners' reviews: ${scopeMs.toFixed(0)} ms (${(scopeMs / count).toFixed(1)} ms per owner).`);
  console.log(`HTML and JSON for all owners: ${renderMs.toFixed(0)} ms, ${(htmlBytes / 1e6).toFixed(1)} MB HTML, ${(jsonBytes / 1e6).toFixed(1)} MB JSON.`);
  if (pdfMs !== undefined) console.log(`PDFs for all owners (one Chromium): ${pdfMs.toFixed(0)} ms, ${(pdfBytes / 1e6).toFixed(1)} MB.`);
  console.log(
    JSON.stringify({
      accounts: review.accounts.length,
      roles,
      findings: review.findings.length,
      owners: count,
      scopeMs: Math.round(scopeMs),
      scopeMsPerOwner: Number((scopeMs / count).toFixed(1)),
      renderHtmlJsonMs: Math.round(renderMs),
      ...(pdfMs !== undefined ? { pdfMs: Math.round(pdfMs), pdfBytes } : {}),
    }),
  );
} finally {
  await emu.close();
}

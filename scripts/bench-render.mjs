#!/usr/bin/env node
// Measures the render stage on a large synthetic review: HTML, PDF (cold: launch + print; warm: print with
// a running browser), CSV and JSON. Runs against the compiled code, so build first:
//   npm run build && node scripts/bench-render.mjs [roles=1000] [flaggedShare=0.1] [pdfRoles=all|flagged]
// The PDF is printed the pipeline's way (renderReportPdf: page references, in parts when large). Memory at
// organization size is measured by bench-scale.mjs's render part.
// Prints human-readable figures, then one JSON object as the last line (for CI to collect).
import './on-supported-node.mjs';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const { renderHtml, renderReportPdfToFile, openPdfRenderer, renderFindingsCsv, renderGrantsCsv, renderReviewJson } = await import(
  '../dist/render/index.js'
);
const { buildSyntheticReview, flaggedShareOf } = await import('./synthetic-review.mjs');

const ROLES = Number(process.argv[2] ?? 1000);
const FLAGGED_SHARE = Number(process.argv[3] ?? 0.1);
const PDF_ROLES = process.argv[4] ?? 'all';

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return [value, Math.round(performance.now() - t0)];
}

function pages(file, counted) {
  try {
    return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  } catch {
    return counted;
  }
}

const review = buildSyntheticReview({ roles: ROLES, flaggedShare: FLAGGED_SHARE });
const html = await renderHtml(review, { roleDetail: PDF_ROLES });
const [, htmlMs] = await timed(() => renderHtml(review, { roleDetail: PDF_ROLES }));
const printOptions = { html: { roleDetail: PDF_ROLES } };
// Printed the pipeline's way: streamed to a file (out/bench-render/report.pdf), never held whole.
mkdirSync('out/bench-render', { recursive: true });
const pdfFile = 'out/bench-render/report.pdf';
rmSync(pdfFile, { force: true });
const [pdf, pdfColdMs] = await timed(() => renderReportPdfToFile(review, pdfFile, printOptions));
const renderer = await openPdfRenderer();
let pdfWarmMs;
try {
  rmSync(pdfFile);
  [, pdfWarmMs] = await timed(() => renderReportPdfToFile(review, pdfFile, { ...printOptions, renderer }));
} finally {
  await renderer.close();
}
const [, csvMs] = await timed(() => renderFindingsCsv(review) + renderGrantsCsv(review));
const [, jsonMs] = await timed(() => renderReviewJson(review));

writeFileSync('out/bench-render/report.html', html);
const pageCount = pages(pdfFile, pdf.pages);

const result = {
  roles: review.summary.roles,
  flaggedShare: flaggedShareOf(review),
  pdfRoles: PDF_ROLES,
  grants: review.summary.trustGrants,
  accounts: review.summary.accounts,
  findings: review.findings.length,
  htmlMs,
  htmlBytes: Buffer.byteLength(html),
  pdfColdMs,
  pdfWarmMs,
  pdfBytes: pdf.bytes,
  pages: pageCount,
  csvMs,
  jsonMs,
};
console.log(`review: ${result.accounts} accounts, ${result.roles} roles (${result.flaggedShare * 100} % flagged), ${result.grants} grants, ${result.findings} findings; PDF roles ${PDF_ROLES}`);
console.log(`html:   ${htmlMs} ms (${(result.htmlBytes / 1024).toFixed(0)} KiB)`);
console.log(`pdf:    ${pdfColdMs} ms cold (launch + print), ${pdfWarmMs} ms warm; ${pageCount} pages, ${(pdf.bytes / 1024).toFixed(0)} KiB`);
console.log(`csv:    ${csvMs} ms; json: ${jsonMs} ms`);
console.log(JSON.stringify(result));

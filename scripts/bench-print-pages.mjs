#!/usr/bin/env node
// What printing with page references costs: one printing of a review's PDF against renderReportPdf, which
// prints, reads where the link targets landed and prints again with "page N" (a third time only if that
// moved a target). Runs against the compiled code, so build first:
//   npm run build && node scripts/bench-print-pages.mjs path/to/review.json [A4|Letter]
// Prints human-readable figures, then one JSON object as the last line.
import './on-supported-node.mjs';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const { renderHtml, openPdfRenderer, renderReportPdf, destinationPages } = await import('../dist/render/index.js');

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/bench-print-pages.mjs review.json [A4|Letter]');
  process.exit(2);
}
const paper = process.argv[3] ?? 'A4';
const review = JSON.parse(readFileSync(file, 'utf8'));

const renderer = await openPdfRenderer({ paper });
try {
  // Warm the browser up so both figures are prints, not launches.
  await renderer.render('<!DOCTYPE html><p>warm</p>');
  let t = performance.now();
  const once = await renderer.render(await renderHtml(review));
  const singleMs = performance.now() - t;
  t = performance.now();
  const withRefs = await renderReportPdf(review, { renderer });
  const pagedMs = performance.now() - t;
  const pages = (pdf) => Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
  const result = {
    paper,
    findings: review.findings.length,
    pages: pages(withRefs),
    linkTargets: destinationPages(withRefs).size,
    singlePrintMs: Math.round(singleMs),
    withPageRefsMs: Math.round(pagedMs),
    ratio: Number((pagedMs / singleMs).toFixed(2)),
    singlePrintPages: pages(once),
  };
  console.log(`one printing: ${result.singlePrintMs} ms; with page references: ${result.withPageRefsMs} ms (${result.ratio}x), ${result.pages} pages, ${result.linkTargets} link targets`);
  console.log(JSON.stringify(result));
} finally {
  await renderer.close();
}

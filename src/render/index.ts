/**
 * The render stage: one review in, the report's artifacts out. Pure with respect to AWS and delivery; the
 * only side effect is the Chromium process that prints the PDF.
 */
import type { Review } from '../model/review.js';
import { renderFindingsCsv, renderGrantsCsv } from './csv.js';
import { renderHtml, type RenderHtmlOptions } from './html.js';
import { destinationPages } from './pdf-destinations.js';
import { renderReviewJson } from './json.js';
import { renderOcsfFindings } from './ocsf.js';
import { openPdfRenderer, type PdfOptions, type PdfRenderer } from './pdf.js';
import { policyDraftArtifacts } from './policy-drafts.js';

export { renderHtml, type RenderHtmlOptions } from './html.js';
export { destinationPages } from './pdf-destinations.js';
export { renderPdf, openPdfRenderer, resolveChromiumPath, ChromiumNotFoundError, type PdfOptions, type PdfRenderer } from './pdf.js';
export { renderFindingsCsv, renderGrantsCsv, toCsv, csvCell } from './csv.js';
export { renderReviewJson, stableJson } from './json.js';
export { renderOcsfFindings, toOcsfFinding, OCSF_VERSION, type OcsfDetectionFinding } from './ocsf.js';
export * as charts from './charts.js';

export interface Artifact {
  name: string;
  contentType: string;
  body: Uint8Array;
}

/** Printings at most: the first finds the pages, the second prints them, a third only if that moved a target. */
const MAX_PRINTINGS = 3;

/**
 * Prints the report with page references ("evidence, page 12"): print, read where each link target landed,
 * print again with those numbers, until they hold. Every printing after the first costs one more print.
 */
export async function renderReportPdf(
  review: Review,
  options: { html?: RenderHtmlOptions; pdf?: PdfOptions; renderer?: PdfRenderer } = {},
): Promise<Uint8Array> {
  const renderer = options.renderer ?? (await openPdfRenderer(options.pdf));
  try {
    let pdf = await renderer.render(await renderHtml(review, options.html));
    let pages = destinationPages(pdf);
    for (let printing = 2; printing <= MAX_PRINTINGS && pages.size > 0; printing += 1) {
      const used = Object.fromEntries(pages);
      pdf = await renderer.render(await renderHtml(review, { ...options.html, pages: used }));
      const after = destinationPages(pdf);
      const moved = [...after].some(([anchor, page]) => used[anchor] !== page);
      pages = after;
      if (!moved) break;
    }
    return pdf;
  } finally {
    if (options.renderer === undefined) await renderer.close();
  }
}

export interface RenderAllOptions extends PdfOptions {
  templatesDir?: string;
  /** Print report.pdf (default true); false needs no Chromium, e.g. for a quick local render. */
  pdf?: boolean;
  /** A running renderer to print with, when the caller renders several reviews; not closed here. */
  pdfRenderer?: PdfRenderer;
}

const utf8 = new TextEncoder();

export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8; header=present',
} as const;

export async function renderAll(review: Review, options: RenderAllOptions = {}): Promise<Artifact[]> {
  const htmlOptions = options.templatesDir === undefined ? {} : { templatesDir: options.templatesDir };
  // The archived HTML is the one readers work in: it carries the explorer. The PDF prints the scriptless one.
  const html = await renderHtml(review, { ...htmlOptions, interactive: true });
  const artifacts: Artifact[] = [{ name: 'report.html', contentType: CONTENT_TYPES.html, body: utf8.encode(html) }];
  if (options.pdf !== false) {
    const { templatesDir: _t, pdf: _p, pdfRenderer, ...pdfOptions } = options;
    const pdf = await renderReportPdf(review, { html: htmlOptions, pdf: pdfOptions, ...(pdfRenderer ? { renderer: pdfRenderer } : {}) });
    artifacts.push({ name: 'report.pdf', contentType: CONTENT_TYPES.pdf, body: pdf });
  }
  artifacts.push(
    { name: 'review.json', contentType: CONTENT_TYPES.json, body: utf8.encode(renderReviewJson(review)) },
    { name: 'findings.ocsf.json', contentType: CONTENT_TYPES.json, body: utf8.encode(renderOcsfFindings(review)) },
    { name: 'findings.csv', contentType: CONTENT_TYPES.csv, body: utf8.encode(renderFindingsCsv(review)) },
    { name: 'trust-grants.csv', contentType: CONTENT_TYPES.csv, body: utf8.encode(renderGrantsCsv(review)) },
    ...policyDraftArtifacts(review),
  );
  return artifacts;
}

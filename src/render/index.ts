/**
 * The render stage: one review in, the report's artifacts out. Pure with respect to AWS and delivery; the
 * only side effect is the Chromium process that prints the PDF.
 */
import type { Review } from '../model/review.js';
import { renderFindingsCsv, renderGrantsCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderReviewJson } from './json.js';
import { policyDraftArtifacts } from './policy-drafts.js';
import { renderPdf, type PdfOptions, type PdfRenderer } from './pdf.js';

export { renderHtml, type RenderHtmlOptions } from './html.js';
export { renderPdf, openPdfRenderer, resolveChromiumPath, ChromiumNotFoundError, type PdfOptions, type PdfRenderer } from './pdf.js';
export { renderFindingsCsv, renderGrantsCsv, toCsv, csvCell } from './csv.js';
export { renderReviewJson, stableJson } from './json.js';
export * as charts from './charts.js';

export interface Artifact {
  name: string;
  contentType: string;
  body: Uint8Array;
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
  const html = await renderHtml(review, htmlOptions);
  const artifacts: Artifact[] = [{ name: 'report.html', contentType: CONTENT_TYPES.html, body: utf8.encode(html) }];
  if (options.pdf !== false) {
    const { templatesDir: _t, pdf: _p, pdfRenderer, ...pdfOptions } = options;
    const pdf = pdfRenderer ? await pdfRenderer.render(html) : await renderPdf(html, pdfOptions);
    artifacts.push({ name: 'report.pdf', contentType: CONTENT_TYPES.pdf, body: pdf });
  }
  artifacts.push(
    { name: 'review.json', contentType: CONTENT_TYPES.json, body: utf8.encode(renderReviewJson(review)) },
    { name: 'findings.csv', contentType: CONTENT_TYPES.csv, body: utf8.encode(renderFindingsCsv(review)) },
    { name: 'trust-grants.csv', contentType: CONTENT_TYPES.csv, body: utf8.encode(renderGrantsCsv(review)) },
    ...policyDraftArtifacts(review),
  );
  return artifacts;
}

/**
 * The render stage: one review in, the report's artifacts out. Pure with respect to AWS and delivery; the
 * only side effects are the Chromium process that prints the PDF and, for a PDF printed in parts, the
 * parts in a temporary folder until they are joined.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Review } from '../model/review.js';
import { renderFindingsCsv, renderGrantsCsv } from './csv.js';
import { htmlPartsRenderer, renderHtml, type HtmlParts, type RenderHtmlOptions } from './html.js';
import { destinationPages, pageCount } from './pdf-destinations.js';
import { joinPdfParts, joinPdfPartsToFile, type PdfPart } from './pdf-join.js';
import { renderReviewJson } from './json.js';
import { renderOcsfFindings } from './ocsf.js';
import { openPdfRenderer, type PdfOptions, type PdfRenderer, type PrintOptions } from './pdf.js';
import { policyDraftArtifacts } from './policy-drafts.js';

export { renderHtml, renderHtmlParts, type RenderHtmlOptions } from './html.js';
export { joinPdfParts, joinPdfPartsToFile } from './pdf-join.js';
export { DEFAULT_CARDS_PER_PART } from './pdf-parts.js';
export { destinationPages, pageCount } from './pdf-destinations.js';
export { renderPdf, openPdfRenderer, resolveChromiumPath, ChromiumNotFoundError, type PdfOptions, type PdfRenderer, type PrintOptions } from './pdf.js';
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

export interface ReportPdfOptions {
  html?: RenderHtmlOptions;
  pdf?: PdfOptions;
  renderer?: PdfRenderer;
  /**
   * Print in parts of about this many role cards, each part its own Chromium page, printed and closed, then
   * joined (see pdf-parts.ts): Chromium's memory then follows the largest part, not the report. A report
   * that fits in one part is printed whole. Default DEFAULT_CARDS_PER_PART.
   */
  cardsPerPart?: number;
  /** Parts printed at once, each in its own Chromium page (default DEFAULT_PRINT_CONCURRENCY). */
  printConcurrency?: number;
}

/** Two parts at once: Chromium lays out a page on about one core; the CronJob's pod has two. */
export const DEFAULT_PRINT_CONCURRENCY = 2;

/**
 * Prints the report with page references ("evidence, page 12"): print, read where each link target landed,
 * print again with those numbers, until they hold. Every printing after the first costs one more print;
 * printed in parts, only the parts whose text changed are printed again (the references are all in the
 * front part).
 */
export async function renderReportPdf(review: Review, options: ReportPdfOptions = {}): Promise<Uint8Array> {
  return printReport(review, options, {
    whole: async (pdf) => pdf,
    joined: (parts) => joinPdfParts(parts, { pageNumbers: true }),
  });
}

/** A printed PDF on disk: its size and pages. */
export interface PdfFile {
  file: string;
  bytes: number;
  pages: number;
}

/**
 * renderReportPdf's document written to `file` (created; it must not exist): printed in parts, the join
 * streams it there part by part, so Node's memory does not grow with the document, whatever its size.
 */
export async function renderReportPdfToFile(review: Review, file: string, options: ReportPdfOptions = {}): Promise<PdfFile> {
  return printReport(review, options, {
    whole: async (pdf) => {
      await writeFile(file, pdf, { flag: 'wx' });
      return { file, bytes: pdf.byteLength, pages: pageCount(pdf) };
    },
    joined: async (parts) => ({ file, ...(await joinPdfPartsToFile(parts, file, { pageNumbers: true })) }),
  });
}

/** What becomes of the printing: one document printed whole, or the parts to join. */
interface PdfOutput<T> {
  whole(pdf: Uint8Array): Promise<T>;
  joined(parts: PdfPart[]): Promise<T>;
}

async function printReport<T>(review: Review, options: ReportPdfOptions, output: PdfOutput<T>): Promise<T> {
  const renderer = options.renderer ?? (await openPdfRenderer(options.pdf));
  try {
    const partOptions = { ...options.html, ...(options.cardsPerPart === undefined ? {} : { cardsPerPart: options.cardsPerPart }) };
    const parts = await htmlPartsRenderer(review, partOptions);
    // Front, one part of accounts, back: small enough to print as one document, as it always was.
    if (parts.count <= 3) return await output.whole(await printWhole(review, options, renderer));
    return await printInParts(parts, renderer, options.printConcurrency ?? DEFAULT_PRINT_CONCURRENCY, output, options.pdf?.profileParent);
  } finally {
    if (options.renderer === undefined) await renderer.close();
  }
}

/**
 * Each part printed on its own and kept on disk until the join, with its page count and link targets: Node
 * then holds the HTML of the parts being printed, one part's PDF and the join's indexes, never every part
 * (nor, joined to a file, the document).
 */
async function printInParts<T>(parts: HtmlParts, renderer: PdfRenderer, concurrency: number, output: PdfOutput<T>, tempParent?: string): Promise<T> {
  const dir = await mkdtemp(join(tempParent ?? tmpdir(), 'access-review-pdf-parts-'));
  try {
    const printed: { file: string; pages: number; targets: Map<string, number>; digest: string }[] = [];
    // Where each link target lands in the joined document: its page in its part after all earlier parts' pages.
    const targetPages = (): Map<string, number> => {
      const pages = new Map<string, number>();
      let offset = 0;
      for (const part of printed) {
        for (const [anchor, page] of part.targets) pages.set(anchor, offset + page);
        offset += part.pages;
      }
      return pages;
    };
    // A few parts at once: one Chromium page lays out on about one core, and each part's memory is its own.
    // A part's HTML is rendered when a print slot takes it, and printed only if it differs (by digest) from
    // what that part last printed: with page references, only the parts whose text changed print again.
    const printAll = async (pages?: Record<string, number>): Promise<number> => {
      const queue = Array.from({ length: parts.count }, (_, i) => i);
      let count = 0;
      const worker = async (): Promise<void> => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const html = parts.part(i, pages);
          const digest = createHash('sha256').update(html).digest('hex');
          if (printed[i]?.digest === digest) continue;
          const pdf = await renderer.render(html, { pageNumbers: false });
          const file = join(dir, `part-${i}.pdf`);
          await writeFile(file, pdf);
          printed[i] = { file, pages: pageCount(pdf), targets: destinationPages(pdf), digest };
          count += 1;
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, parts.count)) }, worker));
      return count;
    };
    await printAll();
    let pages = targetPages();
    for (let printing = 2; printing <= MAX_PRINTINGS && pages.size > 0; printing += 1) {
      const used = Object.fromEntries(pages);
      if ((await printAll(used)) === 0) break;
      const after = targetPages();
      const moved = [...after].some(([anchor, page]) => used[anchor] !== page);
      pages = after;
      if (!moved) break;
    }
    return await output.joined(printed.map((part) => () => readFile(part.file)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function printWhole(review: Review, options: ReportPdfOptions, renderer: PdfRenderer): Promise<Uint8Array> {
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

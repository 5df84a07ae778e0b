/**
 * The HTML report: the review turned into a view model, rendered by Handlebars from templates/.
 * The same HTML is the archived report.html and the input printed to PDF, so it is self-contained: styles
 * inlined, charts inline SVG, and a Content-Security-Policy that forbids loading anything at all. The
 * archived report.html also carries the explorer (src/render/explorer/), whose one inline script the CSP
 * allows by hash; the PDF is printed from the rendering without it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import type { Review } from '../model/review.js';
import { registerHelpers } from './helpers.js';
import { defaultTemplatesDir } from './paths.js';
import { templateCache } from './template-cache.js';
import { buildReportView, type ReportView } from './view/index.js';
import type { PrintPartView } from './view/types.js';
import { abridgeView } from './view/abridge.js';
import { showInvisible } from './visible.js';
import { explorerEmbed, registerExplorerHelpers, type ExplorerEmbed } from './explorer/index.js';
import { addPartLinks, linkPart, printParts, type PartLinks } from './pdf-parts.js';

export interface RenderHtmlOptions {
  /** Folder holding report.hbs, print.css and partials/; defaults to the package's templates/. */
  templatesDir?: string;
  /** "flagged": full role cards only for flagged roles, for a printable PDF of a large organization. */
  roleDetail?: 'all' | 'flagged';
  /** Page of each in-document link target in the printed PDF, for "page N" references in print. */
  pages?: Record<string, number>;
  /**
   * Inline the explorer (filter, sort and search, allowed by its hash in the CSP) for the archived
   * report.html. Off by default, and for print: the PDF is the scriptless report.
   */
  interactive?: boolean;
}

type ExplorerSlot = { explorer?: ExplorerEmbed; explorerUnavailable?: string };
type ReportTemplate = (view: ReportView & ExplorerSlot) => string;

async function loadTemplates(dir: string): Promise<ReportTemplate> {
  const hb = Handlebars.create();
  const [main, css, partialFiles] = await Promise.all([
    readFile(join(dir, 'report.hbs'), 'utf8'),
    readFile(join(dir, 'print.css'), 'utf8'),
    readdir(join(dir, 'partials')).catch(() => [] as string[]),
  ]).catch((err: unknown) => {
    throw new Error(`access-review: cannot load the report templates from ${dir}: ${String(err)}`, { cause: err });
  });
  registerHelpers(hb, css);
  registerExplorerHelpers(hb);
  for (const file of partialFiles.filter((f) => extname(f) === '.hbs').sort()) {
    hb.registerPartial(basename(file, '.hbs'), await readFile(join(dir, 'partials', file), 'utf8'));
  }
  // preventIndent keeps partials from re-indenting <pre> blocks; strict mode is off because optional
  // fields (a role's description, a vendor) are legitimately absent.
  const template = hb.compile<ReportView & ExplorerSlot>(main, { preventIndent: true });
  return (view) => template(view);
}

const templatesFor = templateCache(loadTemplates);

function printedView(review: Review, options: RenderHtmlOptions): ReportView {
  const view = buildReportView(review);
  if (options.pages !== undefined) view.pages = options.pages;
  return options.roleDetail === 'flagged' ? abridgeView(view) : view;
}

/** The parts of the report to print, each rendered when asked for (see htmlPartsRenderer). */
export interface HtmlParts {
  count: number;
  /** Part `index`'s document, with page references from `pages` and links between parts rewritten. */
  part(index: number, pages?: Record<string, number>): string;
}

/**
 * The scriptless report as several documents to print one by one (see pdf-parts.ts); joined after
 * printing they read as renderHtml's document. Links between parts are rewritten for pdf-join.ts. The view
 * is built once, and the parts are rendered once up front only to index their links: a part's HTML is
 * rendered again when it is printed and not kept, so memory does not follow the size of the document.
 */
export async function htmlPartsRenderer(review: Review, options: RenderHtmlOptions & { cardsPerPart?: number } = {}): Promise<HtmlParts> {
  const template = await templatesFor(resolve(options.templatesDir ?? defaultTemplatesDir()));
  const shown = printedView(review, options);
  const parts = printParts(shown, options.cardsPerPart);
  const raw = (index: number, pages?: Record<string, number>): string =>
    showInvisible(template({ ...(pages === undefined ? shown : { ...shown, pages }), printPart: parts[index] as PrintPartView }));
  const links: PartLinks = { ids: [], targets: new Set() };
  // Page references change text, never ids or links, so the index holds for every printing.
  for (let i = 0; i < parts.length; i += 1) addPartLinks(links, raw(i));
  return { count: parts.length, part: (index, pages) => linkPart(raw(index, pages), index, links) };
}

export async function renderHtmlParts(review: Review, options: RenderHtmlOptions & { cardsPerPart?: number } = {}): Promise<string[]> {
  const parts = await htmlPartsRenderer(review, options);
  return Array.from({ length: parts.count }, (_, i) => parts.part(i));
}

export async function renderHtml(review: Review, options: RenderHtmlOptions = {}): Promise<string> {
  const dir = resolve(options.templatesDir ?? defaultTemplatesDir());
  const template = await templatesFor(dir);
  const shown = printedView(review, options);
  // The templates hold no such characters, so any in the output came from data (the explorer's island and
  // script are printable ASCII, so this leaves them, and the script's hash, as they are).
  if (options.interactive !== true) return showInvisible(template(shown));
  try {
    return showInvisible(template({ ...shown, explorer: await explorerEmbed(review, dir) }));
  } catch (err) {
    // The explorer is a way into the evidence, not the evidence: without it the report is still complete,
    // and says why it has no explorer rather than failing the run.
    const reason = err instanceof Error ? err.message : String(err);
    return showInvisible(template({ ...shown, explorerUnavailable: reason }));
  }
}

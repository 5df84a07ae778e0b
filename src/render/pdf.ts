/**
 * Prints the HTML report to PDF with Chromium. The HTML carries untrusted text (role names, tags, policy
 * conditions), so the page runs with JavaScript disabled and every request aborted: even if markup slipped
 * through escaping, it could neither execute nor call out. The document goes in through setContent, so
 * there is no document request to allow; data: URLs never reach the network and are the only exception.
 */
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { profilePrefix, removeStaleProfiles } from './chromium-profiles.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type HTTPRequest, type Page } from 'puppeteer-core';

export interface PdfOptions {
  executablePath?: string;
  /** Upper bound for launching, loading and printing, each (default 120 s). */
  timeoutMs?: number;
  /**
   * Tagged PDF with a bookmark outline (default true): screen readers and a clickable table of contents in
   * the reader's sidebar. It roughly quadruples the file size of a large report and doubles print time, so
   * a caller emailing a very large review may turn it off.
   */
  accessible?: boolean;
  /** Where the throw-away browser profile is made (default the OS temporary folder; must be writable). */
  profileParent?: string;
  /** Called with every URL the page tried to load and was refused (for logs and tests). */
  onBlockedRequest?: (url: string) => void;
  /** Aborting closes Chromium at once: a print in progress rejects and no PDF comes out. */
  signal?: AbortSignal;
  /** Paper size (default A4); the layout is tested for clipping on both. */
  paper?: PaperSize;
  /** Documents a Chromium page prints before a fresh one replaces it (default PRINTS_PER_PAGE; 1: a page each). */
  printsPerPage?: number;
}

export type PaperSize = 'A4' | 'Letter';

export interface PrintOptions {
  /**
   * Chromium's "Page N of M" in the footer (default true). A part of a PDF printed in parts goes without:
   * Chromium counts within one document, so pdf-join.ts numbers the joined pages instead.
   */
  pageNumbers?: boolean;
}

export interface PdfRenderer {
  render(html: string, print?: PrintOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** Documents one Chromium page prints before it is closed and a fresh one made (see openPdfRenderer). */
export const PRINTS_PER_PAGE = 10;

interface Tab {
  context: BrowserContext;
  page: Page;
  prints: number;
}

/** Chromium's flags for a locked-down headless print: no background connections to anything but the page. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Must match @page margins in templates/print.css; header and footer are drawn inside them. */
const MARGIN = { top: '18mm', bottom: '17mm', left: '15mm', right: '15mm' } as const;

// Chromium renders these outside the page with its own defaults (font-size 0): every style is explicit.
// "title" is the document's <title>, which the report sets to title · scope · run id.
const HEADER = `<div style="width:100%;font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;font-size:7pt;color:#9aa5b1;padding:0 15mm;display:flex;justify-content:space-between;">
<span class="title"></span><span>Confidential</span></div>`;
const FOOTER = `<div style="width:100%;font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;font-size:7pt;color:#9aa5b1;padding:0 15mm;display:flex;justify-content:space-between;">
<span>Cross-account access review</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
const FOOTER_UNNUMBERED = FOOTER.replace(/<span>Page .*<\/span><\/span>/, '<span></span>');

export class ChromiumNotFoundError extends Error {
  constructor(path: string, cause?: unknown) {
    super(
      `access-review: Chromium was not found at ${path}; it is needed to print the PDF report. ` +
        'Run `npm run setup:chromium` or set CHROMIUM_PATH to a Chromium/Chrome binary.',
      cause === undefined ? undefined : { cause },
    );
    this.name = 'ChromiumNotFoundError';
  }
}

export function resolveChromiumPath(explicit?: string): string {
  return explicit ?? process.env.PUPPETEER_EXECUTABLE_PATH ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

function isLocal(url: string): boolean {
  return url.startsWith('data:') || url === 'about:blank';
}

/**
 * A running Chromium that can print several documents; launching costs most of a small report's time, so
 * a run that prints more than one PDF should share one. Always close() it.
 */
export async function openPdfRenderer(options: PdfOptions = {}): Promise<PdfRenderer> {
  const executablePath = resolveChromiumPath(options.executablePath);
  if (!existsSync(executablePath)) throw new ChromiumNotFoundError(executablePath);
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const accessible = options.accessible ?? true;
  const paper = options.paper ?? 'A4';
  const printsPerPage = Math.max(1, options.printsPerPage ?? PRINTS_PER_PAGE);
  // A fresh profile each time: no cookies, cache or extensions from another run, and nothing left behind
  // (what a killed run left is removed here).
  const profileParent = options.profileParent ?? tmpdir();
  await removeStaleProfiles(profileParent);
  const userDataDir = await mkdtemp(join(profileParent, profilePrefix()));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      userDataDir,
      timeout,
      protocolTimeout: timeout,
      // The job decides what a signal means (finish the run, or stop it and deliver nothing); Puppeteer's
      // own handlers would close Chromium under a print in progress and make it look like a print failure.
      // Its exit hook still closes Chromium whenever the process exits.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'EACCES') throw new ChromiumNotFoundError(executablePath, err);
    throw new Error(`access-review: could not start Chromium at ${executablePath}: ${String(err)}`, { cause: err });
  }

  let closed = false;
  // A run stopped by a signal exits without closing the renderer: Puppeteer's own exit hook (registered at
  // launch, so it runs first) kills Chromium, and this one removes the profile it leaves in /tmp.
  const removeProfile = (): void => rmSync(userDataDir, { recursive: true, force: true });
  process.once('exit', removeProfile);
  // A stopped run may never call close(): the abort closes Chromium and removes its profile itself.
  const onAbort = (): void =>
    void browser
      .close()
      .catch(() => undefined)
      .finally(() => rm(userDataDir, { recursive: true, force: true }).catch(() => undefined));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  // Pages are reused: a fresh browser context for every document costs a new renderer process and cold
  // caches, about 40 % of a part's print CPU (measured on 37-page parts of the 10,000-role report). A page
  // prints at most PRINTS_PER_PAGE documents, then is closed with its context, so its memory stays that of
  // a few documents; one that failed is never reused.
  const idle: Tab[] = [];
  const newTab = async (): Promise<Tab> => {
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(timeout);
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      page.on('request', (request: HTTPRequest) => {
        if (request.isInterceptResolutionHandled()) return;
        const url = request.url();
        if (isLocal(url)) {
          void request.continue();
          return;
        }
        options.onBlockedRequest?.(url);
        void request.abort('blockedbyclient');
      });
      return { context, page, prints: 0 };
    } catch (err) {
      await context.close().catch(() => undefined);
      throw err;
    }
  };
  return {
    async render(html: string, print: PrintOptions = {}): Promise<Uint8Array> {
      if (closed) throw new Error('access-review: the PDF renderer is closed');
      const tab = idle.pop() ?? (await newTab());
      let reusable = false;
      try {
        tab.prints += 1;
        await tab.page.setContent(html, { waitUntil: 'load', timeout });
        const pdf = await tab.page.pdf({
          format: paper,
          printBackground: true,
          preferCSSPageSize: false,
          margin: MARGIN,
          displayHeaderFooter: true,
          headerTemplate: HEADER,
          footerTemplate: print.pageNumbers === false ? FOOTER_UNNUMBERED : FOOTER,
          outline: accessible,
          tagged: accessible,
          timeout,
        });
        reusable = tab.prints < printsPerPage;
        return pdf;
      } finally {
        if (reusable && !closed) idle.push(tab);
        else await tab.context.close().catch(() => undefined);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      idle.length = 0;
      options.signal?.removeEventListener('abort', onAbort);
      try {
        await browser.close();
      } finally {
        process.removeListener('exit', removeProfile);
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Prints one document with a browser of its own, closed whatever happens. */
export async function renderPdf(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
  const renderer = await openPdfRenderer(options);
  try {
    return await renderer.render(html);
  } finally {
    await renderer.close();
  }
}

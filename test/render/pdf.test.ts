import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { renderAll } from '../../src/render/index.js';
import { CHROMIUM_ARGS, ChromiumNotFoundError, openPdfRenderer, renderPdf, resolveChromiumPath } from '../../src/render/pdf.js';
import { HOSTILE_ROLE_NAME, HOSTILE_TAG_VALUE, fixtureReview } from './fixture-review.js';

function pdfText(pdf: Uint8Array, dir: string, name: string): Promise<string> {
  const file = join(dir, name);
  return writeFile(file, pdf).then(() => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
}

function pageCount(pdf: Uint8Array): number {
  // Page objects, not the /Pages tree node.
  return Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
}

describe('renderPdf', () => {
  let server: Server;
  let hits: string[];
  let base: string;
  let work: string;

  beforeAll(async () => {
    hits = [];
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    work = await mkdtemp(join(tmpdir(), 'render-pdf-test-'));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(work, { recursive: true, force: true });
  });

  it('prints the fixture as a multi-page A4 PDF without a single request', async () => {
    const review = fixtureReview();
    const role = review.accounts[0]?.roles[0];
    if (role === undefined) throw new Error('fixture has no role');
    role.tags.push({ key: 'probe', value: `<img src="${base}/from-tag"><link rel="stylesheet" href="${base}/css">` });
    role.description = `<iframe src="${base}/frame"></iframe>`;
    const blocked: string[] = [];
    const pdf = await renderPdf(await renderHtml(review), { onBlockedRequest: (u) => blocked.push(u) });
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(pageCount(pdf)).toBeGreaterThan(1);
    expect(hits).toEqual([]);
    expect(blocked).toEqual([]);
    const text = await pdfText(pdf, work, 'fixture.pdf');
    // The hostile strings are printed as text (pdftotext may wrap long lines, so look for pieces).
    expect(text).toContain(HOSTILE_ROLE_NAME);
    expect(text).toContain(HOSTILE_TAG_VALUE.slice(0, 12));
    expect(text).toContain(`<img src="${base}/from-tag">`);
    expect(text).toMatch(/Page 1 of \d+/);
  });

  it('blocks every request even from raw markup with no CSP, and never runs script', async () => {
    hits.length = 0;
    const blocked: string[] = [];
    const html = `<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="${base}/link.css">
      <style>@import url("${base}/import.css"); @font-face { font-family: X; src: url("${base}/font.woff2"); }
        body { background: url("${base}/bg.png"); font-family: X; }</style>
      </head><body>
      <p>static text</p>
      <img src="${base}/img.png"><iframe src="${base}/frame.html"></iframe>
      <object data="${base}/object"></object>
      <script>document.body.innerHTML = '<p>SCRIPT RAN</p>'; fetch('${base}/fetch');</script>
      <script src="${base}/script.js"></script>
      </body></html>`;
    const pdf = await renderPdf(html, { onBlockedRequest: (u) => blocked.push(u) });
    expect(hits).toEqual([]);
    expect(blocked.length).toBeGreaterThan(0);
    for (const url of blocked) expect(url.startsWith(base)).toBe(true);
    const text = await pdfText(pdf, work, 'raw.pdf');
    expect(text).toContain('static text');
    expect(text).not.toContain('SCRIPT RAN');
  });

  it('reuses one browser for several documents', async () => {
    const renderer = await openPdfRenderer();
    try {
      const a = await renderer.render('<p>first</p>');
      const b = await renderer.render('<p>second</p>');
      expect(await pdfText(a, work, 'a.pdf')).toContain('first');
      expect(await pdfText(b, work, 'b.pdf')).toContain('second');
    } finally {
      await renderer.close();
    }
    await expect(renderer.render('<p>late</p>')).rejects.toThrow(/closed/);
    await renderer.close();
  });

  it('prints each document alone on a reused page, with every request still blocked and scripts still off', async () => {
    const blocked: string[] = [];
    // Two documents a page, so the third comes from a fresh page: both paths are exercised.
    const renderer = await openPdfRenderer({ printsPerPage: 2, onBlockedRequest: (u) => blocked.push(u) });
    try {
      const a = await renderer.render('<title>A</title><p>alpha document</p>');
      const b = await renderer.render('<p>bravo document</p><img src="http://127.0.0.1:9/reused.png"><script>document.body.append("SCRIPT RAN")</script>');
      const c = await renderer.render('<p>charlie document</p>');
      expect(await pdfText(a, work, 'reuse-a.pdf')).toContain('alpha document');
      const second = await pdfText(b, work, 'reuse-b.pdf');
      expect(second).toContain('bravo document');
      expect(second).not.toContain('alpha');
      expect(second).not.toContain('SCRIPT RAN');
      expect(await pdfText(c, work, 'reuse-c.pdf')).not.toContain('bravo');
      expect(blocked).toEqual(['http://127.0.0.1:9/reused.png']);
    } finally {
      await renderer.close();
    }
  });

  it('leaves no temporary browser profile behind', async () => {
    // A folder of its own: other test files print PDFs in parallel workers under the shared tmpdir.
    const parent = await mkdtemp(join(tmpdir(), 'pdf-profile-test-'));
    try {
      const renderer = await openPdfRenderer({ profileParent: parent });
      const seen = await readdir(parent);
      await renderer.close();
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(/^access-review-chromium-/);
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('says how to get Chromium when it is missing', async () => {
    await expect(renderPdf('<p>x</p>', { executablePath: '/nonexistent/chromium' })).rejects.toThrow(ChromiumNotFoundError);
    await expect(renderPdf('<p>x</p>', { executablePath: '/nonexistent/chromium' })).rejects.toThrow(
      /run `npm run setup:chromium` or set CHROMIUM_PATH/i,
    );
  });

  it('finds Chromium from the option, then PUPPETEER_EXECUTABLE_PATH, then CHROMIUM_PATH', () => {
    const saved = { p: process.env.PUPPETEER_EXECUTABLE_PATH, c: process.env.CHROMIUM_PATH };
    try {
      delete process.env.PUPPETEER_EXECUTABLE_PATH;
      delete process.env.CHROMIUM_PATH;
      expect(resolveChromiumPath()).toBe('/usr/bin/chromium');
      process.env.CHROMIUM_PATH = '/opt/c';
      expect(resolveChromiumPath()).toBe('/opt/c');
      process.env.PUPPETEER_EXECUTABLE_PATH = '/opt/p';
      expect(resolveChromiumPath()).toBe('/opt/p');
      expect(resolveChromiumPath('/opt/x')).toBe('/opt/x');
    } finally {
      if (saved.p === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
      else process.env.PUPPETEER_EXECUTABLE_PATH = saved.p;
      if (saved.c === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved.c;
    }
  });
});

describe('the report HTML in a browser with JavaScript on', () => {
  it('holds no live element or handler from the hostile strings', async () => {
    const html = await renderHtml(fixtureReview());
    const browser = await puppeteer.launch({
      executablePath: resolveChromiumPath(),
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.setRequestInterception(true);
      page.on('request', (r) => void (r.url().startsWith('data:') || r.url() === 'about:blank' ? r.continue() : r.abort()));
      await page.setContent(html, { waitUntil: 'load' });
      // A string, not a function: the test project has no DOM typings, and this runs in the page.
      const dom = (await page.evaluate(`({
        scripts: document.querySelectorAll('script').length,
        images: document.querySelectorAll('img, iframe, object, embed, link').length,
        handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
        roleHeading: document.querySelector('h3.role-name')?.textContent,
        tagValue: document.querySelector('.tag-value')?.textContent,
      })`)) as { scripts: number; images: number; handlers: number; roleHeading?: string; tagValue?: string };
      expect(dialogs).toEqual([]);
      expect(dom.scripts).toBe(0);
      expect(dom.images).toBe(0);
      expect(dom.handlers).toBe(0);
      expect(dom.roleHeading).toBe(HOSTILE_ROLE_NAME);
      expect(dom.tagValue).toBe(HOSTILE_TAG_VALUE);
    } finally {
      await browser.close();
    }
  });
});

describe('renderAll', () => {
  it('produces the six artifacts, or five without the PDF', async () => {
    const review = fixtureReview();
    const withoutPdf = await renderAll(review, { pdf: false });
    expect(withoutPdf.map((a) => [a.name, a.contentType])).toEqual([
      ['report.html', 'text/html; charset=utf-8'],
      ['review.json', 'application/json'],
      ['findings.ocsf.json', 'application/json'],
      ['findings.csv', 'text/csv; charset=utf-8; header=present'],
      ['trust-grants.csv', 'text/csv; charset=utf-8; header=present'],
    ]);
    const all = await renderAll(review);
    expect(all.map((a) => a.name)).toEqual(['report.html', 'report.pdf', 'review.json', 'findings.ocsf.json', 'findings.csv', 'trust-grants.csv']);
    const pdf = all.find((a) => a.name === 'report.pdf');
    expect(pdf?.contentType).toBe('application/pdf');
    expect(Buffer.from(pdf?.body.subarray(0, 5) ?? []).toString('latin1')).toBe('%PDF-');
    for (const a of all) expect(a.body.byteLength).toBeGreaterThan(100);
  });
});

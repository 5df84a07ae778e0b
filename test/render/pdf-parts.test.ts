import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, PDFString, PDFHexString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlParts } from '../../src/render/html.js';
import { destinationPages, renderReportPdf } from '../../src/render/index.js';
import { openPdfRenderer, type PdfRenderer } from '../../src/render/pdf.js';
import { CROSS_PART_PREFIX, linkParts, printParts } from '../../src/render/pdf-parts.js';
import { buildReportView } from '../../src/render/view/index.js';
import { fixtureReview } from './fixture-review.js';

const n = (s: string): PDFName => PDFName.of(s);

describe('printParts', () => {
  const view = buildReportView(fixtureReview());
  const cards = view.accounts.flatMap((a) => a.roles.filter((r) => r.detailed).map((r) => r.anchor));

  it('prints every card once, in order, the front first and the back last', () => {
    const parts = printParts(view, 3);
    expect(parts[0]).toMatchObject({ front: true, back: false, accounts: [] });
    expect(parts[parts.length - 1]).toMatchObject({ front: false, back: true, accounts: [] });
    const printed = parts.flatMap((p) => p.accounts.flatMap((a) => (a.printCards ?? []).map((r) => r.anchor)));
    expect(printed).toEqual(cards);
    expect(parts.length).toBeGreaterThan(4);
  });

  it('gives a sliced account its heading once and its later cards as continuations', () => {
    const parts = printParts(view, 3);
    const first = view.accounts[0];
    const slices = parts.flatMap((p) => p.accounts).filter((a) => a.accountId === first?.accountId);
    expect(slices.length).toBeGreaterThan(1);
    expect(slices[0]?.printContinued).toBeUndefined();
    expect(slices.slice(1).every((s) => s.printContinued === true)).toBe(true);
    // The table of every role stays with the heading.
    expect(slices[0]?.roles).toHaveLength(first?.roles.length ?? -1);
  });

  it('keeps a report that fits in one part as front, accounts, back', () => {
    expect(printParts(view, 1000)).toHaveLength(3);
  });
});

describe('linkParts', () => {
  it('points links to another part at a URL the join resolves, and records every linked target where it is', () => {
    const [a, b] = linkParts([
      '<body><a href="#x">x</a> <a href="#own">own</a><p id="own"></p></body>',
      '<body><h2 id="x">X</h2><h2 id="y">never linked</h2></body>',
    ]);
    expect(a).toContain(`href="${CROSS_PART_PREFIX}x"`);
    expect(a).toContain('<a href="#own">own</a>');
    expect(b).toContain('<div hidden><a href="#x"></a></div></body>');
    expect(b).not.toContain('href="#y"');
  });
});

interface OutlineItem {
  depth: number;
  title: string;
  page: number;
}

function outline(doc: PDFDocument): OutlineItem[] {
  const pages = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
  const out: OutlineItem[] = [];
  const walk = (item: PDFDict | undefined, depth: number): void => {
    for (; item !== undefined; item = item.lookupMaybe(n('Next'), PDFDict)) {
      const title = item.lookup(n('Title'));
      const dest = item.lookupMaybe(n('Dest'), PDFArray)?.get(0);
      out.push({
        depth,
        // A heading repeated on each page a card spans reads twice in Chromium's title; where the pages break differs.
        title: (title instanceof PDFString || title instanceof PDFHexString ? title.decodeText() : '').replace(/^(.+?)\1+$/, '$1'),
        page: dest instanceof PDFRef ? (pages.get(dest.toString()) ?? -1) : -1,
      });
      walk(item.lookupMaybe(n('First'), PDFDict), depth + 1);
    }
  };
  walk(doc.catalog.lookupMaybe(n('Outlines'), PDFDict)?.lookupMaybe(n('First'), PDFDict), 0);
  return out;
}

function links(doc: PDFDocument): { dest?: string; uri?: string; page: number }[] {
  return doc.getPages().flatMap((p, i) => {
    const annots = p.node.lookupMaybe(n('Annots'), PDFArray);
    return (annots?.asArray() ?? []).map((ref) => {
      const a = doc.context.lookup(ref, PDFDict);
      const dest = a.lookupMaybe(n('Dest'), PDFName)?.decodeText();
      const uri = a.lookupMaybe(n('A'), PDFDict)?.lookup(n('URI'));
      const text = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : undefined;
      return { ...(dest ? { dest } : {}), ...(text ? { uri: text } : {}), page: i + 1 };
    });
  });
}

describe('a PDF printed in parts and joined', () => {
  const review = fixtureReview();
  const view = buildReportView(review);
  let work: string;
  let joined: Uint8Array;
  let whole: Uint8Array;
  let doc: PDFDocument;
  let wholeDoc: PDFDocument;
  let text: string[];
  let printed = 0;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pdf-parts-test-'));
    const real = await openPdfRenderer({ timeoutMs: 240_000 });
    const counting: PdfRenderer = {
      render: (html, print) => {
        printed += 1;
        return real.render(html, print);
      },
      close: () => real.close(),
    };
    try {
      await mkdir(join(work, 'parts'));
      joined = await renderReportPdf(review, { renderer: counting, cardsPerPart: 3, pdf: { profileParent: join(work, 'parts') } });
      const partsPrinted = printed;
      whole = await renderReportPdf(review, { renderer: real });
      printed = partsPrinted;
    } finally {
      await real.close();
    }
    doc = await PDFDocument.load(joined, { updateMetadata: false });
    wholeDoc = await PDFDocument.load(whole, { updateMetadata: false });
    const file = join(work, 'joined.pdf');
    await writeFile(file, joined);
    text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\f').slice(0, -1);
  }, 600_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('was printed part by part', async () => {
    const parts = await renderHtmlParts(review, { cardsPerPart: 3 });
    expect(parts.length).toBeGreaterThan(4);
    expect(printed).toBeGreaterThanOrEqual(parts.length);
  });

  it('leaves none of its printed parts behind', async () => {
    expect(await readdir(join(work, 'parts'))).toEqual([]);
  });

  it('numbers every page across the whole document', () => {
    const count = doc.getPageCount();
    expect(text).toHaveLength(count);
    text.forEach((page, i) => expect(page).toMatch(new RegExp(`Page ${i + 1} of ${count}\\s*$`)));
    // Chromium's own footer text is still there on every page.
    expect(text.every((page) => page.includes('Cross-account access review'))).toBe(true);
  });

  it('holds the first and the last role card, on the pages their anchors name', () => {
    const dests = destinationPages(joined);
    const roles = view.accounts.flatMap((a) => a.roles);
    const first = roles[0];
    const last = roles[roles.length - 1];
    for (const role of [first, last]) {
      const page = dests.get(role?.anchor ?? '');
      expect(page, role?.name).toBeDefined();
      expect(text[(page ?? 0) - 1]).toContain(role?.arn.slice(-20));
    }
    expect(dests.get(first?.anchor ?? '') ?? 0).toBeLessThan(dests.get(last?.anchor ?? '') ?? 0);
    // The appendix is the last part.
    expect(text[text.length - 1]).toMatch(/configuration|Not covered/i);
  });

  it('has the outline of the document printed whole, every entry on a page of its own document', () => {
    const parts = outline(doc);
    const one = outline(wholeDoc);
    expect(parts.map(({ depth, title }) => ({ depth, title }))).toEqual(one.map(({ depth, title }) => ({ depth, title })));
    expect(parts.every((item) => item.page >= 1)).toBe(true);
    // Where an account's heading is, its roles follow, nested under it.
    const account = parts.findIndex((i) => i.title.includes(view.accounts[0]?.accountId ?? '-'));
    expect(parts[account + 1]?.depth).toBeGreaterThan(parts[account]?.depth ?? 99);
  });

  it('keeps every internal link, those between parts included, pointing at the page of its target', () => {
    const all = links(doc);
    const internal = all.filter((l) => l.dest !== undefined);
    expect(internal.length).toBe(links(wholeDoc).filter((l) => l.dest !== undefined).length);
    expect(all.some((l) => l.uri?.startsWith(CROSS_PART_PREFIX))).toBe(false);
    const dests = destinationPages(joined);
    for (const l of internal) expect(dests.has(l.dest ?? ''), l.dest).toBe(true);
    // The contents (front part) link to the last account (another part) lands on its heading's page.
    const lastAccount = view.accounts[view.accounts.length - 1];
    const anchor = `account-${lastAccount?.accountId}`;
    expect(internal.some((l) => l.dest === anchor && l.page < (dests.get(anchor) ?? 0))).toBe(true);
    expect(text[(dests.get(anchor) ?? 0) - 1]).toContain(lastAccount?.accountId);
  });

  it('gives page references that match where their targets landed', () => {
    const dests = destinationPages(joined);
    const anchored = view.topActions.filter((a) => a.evidenceAnchor !== undefined);
    expect(anchored.length).toBeGreaterThan(0);
    const front = text.slice(0, 3).join('\n').replace(/\s+/g, ' ');
    for (const action of anchored) expect(front).toContain(`evidence, page ${dests.get(action.evidenceAnchor ?? '')}`);
  });

  it('stays a tagged PDF: one structure tree whose parent tree knows every page', () => {
    const root = doc.catalog.lookup(n('StructTreeRoot'), PDFDict);
    const nums = root.lookup(n('ParentTree'), PDFDict).lookup(n('Nums'), PDFArray);
    const keys = new Set<number>();
    for (let i = 0; i < nums.size(); i += 2) keys.add(nums.lookup(i, PDFNumber).asNumber());
    for (const page of doc.getPages()) {
      const key = page.node.lookupMaybe(n('StructParents'), PDFNumber);
      if (key) expect(keys.has(key.asNumber())).toBe(true);
    }
    expect(root.lookup(n('ParentTreeNextKey'), PDFNumber).asNumber()).toBe(Math.max(...keys) + 1);
    // Each value is an indirect reference (the join writes a page's array as an object of its own, as the
    // spec asks): to a page's array of structure elements, or to an annotation's element.
    let arrays = 0;
    for (let i = 1; i < nums.size(); i += 2) {
      expect(nums.get(i)).toBeInstanceOf(PDFRef);
      const value = nums.lookup(i);
      if (value instanceof PDFArray) {
        arrays += 1;
        for (let j = 0; j < value.size(); j += 1) expect(value.lookup(j)).toBeInstanceOf(PDFDict);
      } else expect(value).toBeInstanceOf(PDFDict);
    }
    expect(arrays).toBe(doc.getPages().filter((page) => page.node.get(n('StructParents')) !== undefined).length);
  });
});

describe('a PDF printed in parts without tags (output.pdfAccessible false)', () => {
  it('joins into an untagged PDF with no outline, numbered pages and working links', async () => {
    const review = fixtureReview();
    const pdf = await renderReportPdf(review, { cardsPerPart: 3, pdf: { accessible: false, timeoutMs: 240_000 } });
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.catalog.get(n('StructTreeRoot'))).toBeUndefined();
    expect(doc.catalog.get(n('Outlines'))).toBeUndefined();
    const work = await mkdtemp(join(tmpdir(), 'pdf-parts-untagged-'));
    try {
      await writeFile(join(work, 'r.pdf'), pdf);
      const pages = execFileSync('pdftotext', ['-layout', join(work, 'r.pdf'), '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
      expect(pages).toHaveLength(doc.getPageCount());
      pages.forEach((page, i) => expect(page).toMatch(new RegExp(`Page ${i + 1} of ${pages.length}\\s*$`)));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    const dests = destinationPages(pdf);
    const internal = links(doc).filter((l) => l.dest !== undefined);
    expect(internal.length).toBeGreaterThan(0);
    for (const l of internal) expect(dests.has(l.dest ?? ''), l.dest).toBe(true);
  }, 600_000);
});

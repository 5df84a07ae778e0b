/**
 * Joins PDFs that Chromium printed part by part (pdf-parts.ts) into one report, with pdf-lib: the pages in
 * order, numbered "Page N of M" across the whole document (Chromium can only number within one part), one
 * bookmark outline nested by heading level, the named destinations of every part, links between parts
 * turned into page links, and the parts' tag trees under one Document element so the result stays a tagged
 * PDF. Only reads what Chromium (Skia) writes; a part without an outline or tags joins without them.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObjectCopier,
  PDFOperator,
  PDFOperatorNames,
  PDFPage,
  PDFPageLeaf,
  PDFRef,
  PDFString,
  StandardFonts,
  rgb,
  type PDFObject,
} from 'pdf-lib';
import { CROSS_PART_PREFIX } from './pdf-parts.js';

export interface JoinOptions {
  /** Draw "Page N of M" in the footer's right corner (the parts were printed without it). */
  pageNumbers?: boolean;
}

const name = (n: string): PDFName => PDFName.of(n);

interface OutlineEntry {
  level: number;
  title: PDFObject;
  dest?: PDFObject;
  se?: PDFObject;
}

/** Every (key, value) of a number tree, following /Kids. */
function numberTree(dict: PDFDict | undefined, out: [number, PDFObject][] = [], depth = 0): [number, PDFObject][] {
  if (dict === undefined || depth > 32) return out;
  const nums = dict.lookupMaybe(name('Nums'), PDFArray);
  for (let i = 0; nums !== undefined && i + 1 < nums.size(); i += 2) {
    const key = nums.lookup(i);
    if (key instanceof PDFNumber) out.push([key.asNumber(), nums.get(i + 1)]);
  }
  const kids = dict.lookupMaybe(name('Kids'), PDFArray);
  for (let i = 0; kids !== undefined && i < kids.size(); i += 1) numberTree(kids.lookupMaybe(i, PDFDict), out, depth + 1);
  return out;
}

/** The outline items of one part in reading order, each with its heading level (H1 = 1) where tags tell it. */
function outlineEntries(doc: PDFDocument): OutlineEntry[] {
  const out: OutlineEntry[] = [];
  const walk = (item: PDFDict | undefined, depth: number): void => {
    for (let guard = 0; item !== undefined && guard < 1_000_000; guard += 1) {
      const se = item.get(name('SE'));
      const tag = item.lookupMaybe(name('SE'), PDFDict)?.lookupMaybe(name('S'), PDFName)?.decodeText();
      const heading = tag === undefined ? undefined : /^H([1-6])$/.exec(tag)?.[1];
      const title = item.get(name('Title'));
      const dest = item.get(name('Dest'));
      if (title !== undefined) {
        out.push({ level: heading === undefined ? depth : Number(heading), title, ...(dest ? { dest } : {}), ...(se ? { se } : {}) });
      }
      walk(item.lookupMaybe(name('First'), PDFDict), depth + 1);
      item = item.lookupMaybe(name('Next'), PDFDict);
    }
  };
  walk(doc.catalog.lookupMaybe(name('Outlines'), PDFDict)?.lookupMaybe(name('First'), PDFDict), 1);
  return out;
}

/** Builds /Outlines from entries already copied into the joined document, nesting by level. */
function buildOutline(target: PDFDocument, entries: OutlineEntry[]): PDFRef | undefined {
  if (entries.length === 0) return undefined;
  interface Node { ref: PDFRef; dict: PDFDict; level: number; children: Node[] }
  const ctx = target.context;
  const rootDict = ctx.obj({ Type: 'Outlines' });
  const root: Node = { ref: ctx.register(rootDict), dict: rootDict, level: 0, children: [] };
  const stack: Node[] = [root];
  for (const e of entries) {
    while (stack.length > 1 && (stack[stack.length - 1] as Node).level >= e.level) stack.pop();
    const parent = stack[stack.length - 1] as Node;
    const dict = ctx.obj({});
    dict.set(name('Title'), e.title);
    if (e.dest) dict.set(name('Dest'), e.dest);
    if (e.se) dict.set(name('SE'), e.se);
    const node: Node = { ref: ctx.register(dict), dict, level: e.level, children: [] };
    parent.children.push(node);
    stack.push(node);
  }
  const link = (node: Node): number => {
    let count = 0;
    node.children.forEach((child, i) => {
      child.dict.set(name('Parent'), node.ref);
      const prev = node.children[i - 1];
      const next = node.children[i + 1];
      if (prev) child.dict.set(name('Prev'), prev.ref);
      if (next) child.dict.set(name('Next'), next.ref);
      count += 1 + link(child);
    });
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    if (first && last) {
      node.dict.set(name('First'), first.ref);
      node.dict.set(name('Last'), last.ref);
      node.dict.set(name('Count'), PDFNumber.of(count));
    }
    return count;
  };
  link(root);
  return root.ref;
}

const GREY = rgb(0x9a / 255, 0xa5 / 255, 0xb1 / 255);
const RIGHT_MARGIN_PT = (15 / 25.4) * 72;
/** Baseline of the footer text Chromium draws in the 17 mm bottom margin (measured on its own footer). */
export const FOOTER_BASELINE_PT = 16;

export async function joinPdfParts(parts: readonly Uint8Array[], options: JoinOptions = {}): Promise<Uint8Array> {
  const target = await PDFDocument.create({ updateMetadata: false });
  const ctx = target.context;
  const dests = ctx.obj({});
  const outline: OutlineEntry[] = [];
  const documentElem = ctx.obj({ Type: 'StructElem', S: 'Document' });
  const documentRef = ctx.register(documentElem);
  const structKids: PDFObject[] = [];
  const parentTree: (number | PDFObject)[] = [];
  let structOffset = 0;
  let tagged = false;
  const crossLinks: { annot: PDFDict; target: string }[] = [];

  for (const [index, bytes] of parts.entries()) {
    const src = await PDFDocument.load(bytes, { updateMetadata: false });
    const copier = PDFObjectCopier.for(src.context, ctx);
    if (index === 0) {
      const info = src.context.trailerInfo.Info;
      if (info) ctx.trailerInfo.Info = copier.copy(info);
      for (const key of ['Lang', 'ViewerPreferences', 'MarkInfo']) {
        const value = src.catalog.get(name(key));
        if (value) target.catalog.set(name(key), copier.copy(value));
      }
    }
    // Pages first, so everything copied after (tags, destinations, outline) maps onto these copies.
    const pageRefs = src.getPages().map((p) => p.ref);
    for (const ref of pageRefs) {
      const copiedRef = copier.copy(ref);
      const page = ctx.lookup(copiedRef);
      if (!(page instanceof PDFPageLeaf)) throw new Error(`access-review: part ${index + 1} of the PDF has a page that is not a page`);
      const structParents = page.lookupMaybe(name('StructParents'), PDFNumber);
      if (structParents) page.set(name('StructParents'), PDFNumber.of(structParents.asNumber() + structOffset));
      const annots = page.lookupMaybe(name('Annots'), PDFArray);
      for (let i = 0; annots !== undefined && i < annots.size(); i += 1) {
        const annot = annots.lookupMaybe(i, PDFDict);
        if (annot === undefined) continue;
        const sp = annot.lookupMaybe(name('StructParent'), PDFNumber);
        if (sp) annot.set(name('StructParent'), PDFNumber.of(sp.asNumber() + structOffset));
        const uri = annot.lookupMaybe(name('A'), PDFDict)?.lookup(name('URI'));
        const text = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : undefined;
        if (text?.startsWith(CROSS_PART_PREFIX)) crossLinks.push({ annot, target: decodeURIComponent(text.slice(CROSS_PART_PREFIX.length)) });
      }
      target.addPage(PDFPage.of(page, copiedRef, target));
    }

    const root = src.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
    if (root) {
      tagged = true;
      const top = root.lookup(name('K'));
      // Chromium's tree is one Document element; its children join the joined document's Document.
      const topDict = top instanceof PDFDict ? top : undefined;
      const isDocument = topDict?.lookupMaybe(name('S'), PDFName)?.decodeText() === 'Document';
      const children = isDocument ? topDict?.lookup(name('K')) : top;
      const list = children instanceof PDFArray ? children.asArray() : children === undefined ? [] : [children];
      for (const child of list) {
        const dict = child instanceof PDFRef ? src.context.lookupMaybe(child, PDFDict) : undefined;
        dict?.delete(name('P'));
        const copied = copier.copy(child);
        ctx.lookupMaybe(copied, PDFDict)?.set(name('P'), documentRef);
        structKids.push(copied);
      }
      for (const [key, value] of numberTree(root.lookupMaybe(name('ParentTree'), PDFDict))) {
        parentTree.push(key + structOffset, copier.copy(value));
      }
      structOffset += root.lookupMaybe(name('ParentTreeNextKey'), PDFNumber)?.asNumber() ?? 0;
    }

    const srcDests = src.catalog.lookupMaybe(name('Dests'), PDFDict);
    for (const [key, value] of srcDests?.entries() ?? []) dests.set(key, copier.copy(value));
    for (const entry of outlineEntries(src)) {
      outline.push({
        level: entry.level,
        title: copier.copy(entry.title),
        ...(entry.dest ? { dest: copier.copy(entry.dest) } : {}),
        ...(entry.se ? { se: copier.copy(entry.se) } : {}),
      });
    }
  }

  for (const { annot, target: anchor } of crossLinks) {
    annot.delete(name('A'));
    // A target no part holds (it should not happen) leaves a link that goes nowhere, never a dead URL.
    if (dests.has(name(anchor))) annot.set(name('Dest'), name(anchor));
  }
  if (dests.entries().length > 0) target.catalog.set(name('Dests'), ctx.register(dests));
  const outlineRef = buildOutline(target, outline);
  if (outlineRef) target.catalog.set(name('Outlines'), outlineRef);
  if (tagged) {
    documentElem.set(name('K'), ctx.obj(structKids));
    const rootRef = ctx.register(
      ctx.obj({ Type: 'StructTreeRoot', K: documentRef, ParentTree: ctx.obj({ Nums: ctx.obj(parentTree) }), ParentTreeNextKey: structOffset }),
    );
    documentElem.set(name('P'), rootRef);
    target.catalog.set(name('StructTreeRoot'), rootRef);
  }

  if (options.pageNumbers) {
    const font = await target.embedFont(StandardFonts.Helvetica);
    const pages = target.getPages();
    pages.forEach((page, i) => {
      const text = `Page ${i + 1} of ${pages.length}`;
      const width = font.widthOfTextAtSize(text, 7);
      // Marked as an artifact: pagination is not content, and a screen reader should not read it.
      page.pushOperators(PDFOperator.of(PDFOperatorNames.BeginMarkedContent, [name('Artifact')]));
      page.drawText(text, { x: page.getWidth() - RIGHT_MARGIN_PT - width, y: FOOTER_BASELINE_PT, size: 7, font, color: GREY });
      page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
    });
  }
  return target.save({ useObjectStreams: false });
}

/**
 * Joins PDFs that Chromium printed part by part (pdf-parts.ts) into one report: the pages in order,
 * numbered "Page N of M" across the whole document (Chromium can only number within one part), one
 * bookmark outline nested by heading level, the named destinations of every part, links between parts
 * turned into named-destination links, and the parts' tag trees under one Document element so the result
 * stays a tagged PDF.
 *
 * pdf-lib parses one part at a time; the joined file is written object by object as each part is read,
 * with the part's object numbers shifted past the previous parts'. Holding the whole document in pdf-lib's
 * object model instead cost about 0.8 MB a page (5 GB at 10,000 roles); this way memory is the output's
 * bytes plus one part and a few small indexes (page, destination, outline and tag-tree entries).
 * Only reads what Chromium (Skia) writes; a part without an outline or tags joins without them.
 */
import { open } from 'node:fs/promises';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFPageLeaf,
  PDFRawStream,
  PDFRef,
  PDFString,
  ParseSpeeds,
  StandardFontEmbedder,
  StandardFonts,
  type PDFObject,
} from 'pdf-lib';
import { CROSS_PART_PREFIX } from './pdf-parts.js';

export interface JoinOptions {
  /** Draw "Page N of M" in the footer's right corner (the parts were printed without it). */
  pageNumbers?: boolean;
}

/** A part's bytes, or a function that reads them when the join gets to it (so they need not all be held). */
export type PdfPart = Uint8Array | (() => Promise<Uint8Array>);

const name = (n: string): PDFName => PDFName.of(n);

// Objects of the joined document that no part has: parts' references to them carry this generation number
// and are written as the joined document's own object (see Writer.serialize).
const FIXED_GENERATION = 60_001;
const FIXED = { pages: 1, document: 2, font: 3 } as const;
const fixedRef = (which: number): PDFRef => PDFRef.of(which, FIXED_GENERATION);
// A reference to an object the join writes itself, by its number in the joined document (never shifted).
const ABSOLUTE_GENERATION = 60_002;
const absoluteRef = (num: number): PDFRef => PDFRef.of(num, ABSOLUTE_GENERATION);

/** Baseline of the footer text Chromium draws in the 17 mm bottom margin (measured on its own footer). */
export const FOOTER_BASELINE_PT = 16;
const RIGHT_MARGIN_PT = (15 / 25.4) * 72;
const FOOTER_SIZE_PT = 7;
const FOOTER_GREY = '0.604 0.647 0.694 rg';
const PAGE_FONT = 'ARPageNumber';

class Writer {
  private readonly chunks: Buffer[] = [];
  private pending: string[] = [];
  private pendingLength = 0;
  private size = 0;
  /** Byte offset of each object by number (0 where a number was reserved and never written). */
  readonly offsets: number[] = [0];
  private fixed = new Map<number, number>();

  constructor() {
    this.write('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n');
  }

  reserve(count = 1): number {
    const first = this.offsets.length;
    for (let i = 0; i < count; i += 1) this.offsets.push(0);
    return first;
  }

  fix(which: number, num: number): void {
    this.fixed.set(which, num);
  }

  // Text is gathered into blocks of about 64 KiB: a Buffer per token would cost more than the bytes.
  write(piece: string | Uint8Array): void {
    if (typeof piece === 'string') {
      this.pending.push(piece);
      this.pendingLength += piece.length;
      this.size += piece.length;
      if (this.pendingLength >= 65_536) this.flush();
      return;
    }
    this.flush();
    // No copy: the sink has the part's bytes before the next part is read.
    this.chunks.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
    this.size += piece.byteLength;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Buffer.from(this.pending.join(''), 'latin1'));
    this.pending = [];
    this.pendingLength = 0;
  }

  object(num: number, body: (string | Uint8Array)[]): void {
    this.offsets[num] = this.size;
    this.write(`${num} 0 obj\n`);
    for (const piece of body) this.write(piece);
    this.write('\nendobj\n');
  }

  /** PDF syntax for a parsed object, its references shifted by `base` (or to a fixed object). */
  serialize(obj: PDFObject, base: number, out: (string | Uint8Array)[] = []): (string | Uint8Array)[] {
    if (obj instanceof PDFRef) {
      const gen = obj.generationNumber;
      const num = gen === FIXED_GENERATION ? this.fixed.get(obj.objectNumber) : gen === ABSOLUTE_GENERATION ? obj.objectNumber : obj.objectNumber + base;
      out.push(`${num ?? 0} 0 R`);
    } else if (obj instanceof PDFRawStream) {
      this.serialize(obj.dict, base, out);
      out.push('\nstream\n', obj.contents, '\nendstream');
    } else if (obj instanceof PDFDict) {
      out.push('<<');
      for (const [key, value] of obj.entries()) {
        out.push(key.asString(), ' ');
        this.serialize(value, base, out);
        out.push('\n');
      }
      out.push('>>');
    } else if (obj instanceof PDFArray) {
      out.push('[');
      for (const value of obj.asArray()) {
        this.serialize(value, base, out);
        out.push(' ');
      }
      out.push(']');
    } else {
      out.push(obj.toString());
    }
    return out;
  }

  text(obj: PDFObject, base: number): string {
    return this.serialize(obj, base)
      .map((p) => (typeof p === 'string' ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString('latin1')))
      .join('');
  }

  /**
   * Writes the cross-reference table and trailer to the sink. The table has a line for every object of the
   * document (millions in a large tagged report), so it goes out in blocks rather than as one string.
   */
  async finish(root: number, info: number | undefined, sink: JoinSink): Promise<number> {
    await sink(this.drain());
    const xref = this.size;
    this.write(`xref\n0 ${this.offsets.length}\n0000000000 65535 f \n`);
    for (let i = 1; i < this.offsets.length; i += 1) {
      const offset = this.offsets[i] as number;
      this.write(offset > 0 ? `${String(offset).padStart(10, '0')} 00000 n \n` : '0000000000 00000 f \n');
      if (i % 50_000 === 0) await sink(this.drain());
    }
    this.write(`trailer\n<< /Size ${this.offsets.length} /Root ${root} 0 R${info ? ` /Info ${info} 0 R` : ''} >>\nstartxref\n${xref}\n%%EOF\n`);
    await sink(this.drain());
    return this.size;
  }

  /** The bytes written since the last drain, handed to the sink and forgotten here. */
  drain(): Buffer[] {
    this.flush();
    return this.chunks.splice(0, this.chunks.length);
  }
}

interface OutlineEntry {
  level: number;
  title: string;
  dest?: string;
  se?: string;
}

/** Every (key, value) of a number tree and the references of its nodes, following /Kids. */
function numberTree(dict: PDFDict | undefined, out: [number, PDFObject][], nodes: PDFRef[], depth = 0): void {
  if (dict === undefined || depth > 32) return;
  const nums = dict.lookupMaybe(name('Nums'), PDFArray);
  for (let i = 0; nums !== undefined && i + 1 < nums.size(); i += 2) {
    const key = nums.lookup(i);
    if (key instanceof PDFNumber) out.push([key.asNumber(), nums.get(i + 1)]);
  }
  const kids = dict.lookupMaybe(name('Kids'), PDFArray);
  for (let i = 0; kids !== undefined && i < kids.size(); i += 1) {
    const kid = kids.get(i);
    if (kid instanceof PDFRef) nodes.push(kid);
    numberTree(kids.lookupMaybe(i, PDFDict), out, nodes, depth + 1);
  }
}

/** The outline items of one part in reading order, with their heading level (H1 = 1) where tags tell it. */
function outlineItems(doc: PDFDocument, skip: Set<number>): { level: number; item: PDFDict }[] {
  const out: { level: number; item: PDFDict }[] = [];
  const walk = (ref: PDFObject | undefined, depth: number): void => {
    for (let guard = 0; ref instanceof PDFRef && guard < 1_000_000; guard += 1) {
      skip.add(ref.objectNumber);
      const item = doc.context.lookupMaybe(ref, PDFDict);
      if (item === undefined) return;
      const tag = item.lookupMaybe(name('SE'), PDFDict)?.lookupMaybe(name('S'), PDFName)?.decodeText();
      const heading = tag === undefined ? undefined : /^H([1-6])$/.exec(tag)?.[1];
      out.push({ level: heading === undefined ? depth : Number(heading), item });
      walk(item.get(name('First')), depth + 1);
      ref = item.get(name('Next'));
    }
  };
  const outlines = doc.catalog.get(name('Outlines'));
  if (outlines instanceof PDFRef) skip.add(outlines.objectNumber);
  walk(doc.catalog.lookupMaybe(name('Outlines'), PDFDict)?.get(name('First')), 1);
  return out;
}

function pageTreeNodes(doc: PDFDocument, skip: Set<number>): void {
  const walk = (ref: PDFObject | undefined, depth: number): void => {
    if (!(ref instanceof PDFRef) || depth > 64) return;
    const node = doc.context.lookupMaybe(ref, PDFDict);
    if (node === undefined || node instanceof PDFPageLeaf) return;
    skip.add(ref.objectNumber);
    for (const kid of node.lookupMaybe(name('Kids'), PDFArray)?.asArray() ?? []) walk(kid, depth + 1);
  };
  walk(doc.catalog.get(name('Pages')), 0);
}

const INHERITABLE = ['Resources', 'MediaBox', 'CropBox', 'Rotate'];

/** Where the joined document goes, a part's worth of bytes at a time. */
export type JoinSink = (chunks: Buffer[]) => Promise<void>;

/** The joined document in memory: for tests and small reports; a report of any size goes to a file. */
export async function joinPdfParts(parts: readonly PdfPart[], options: JoinOptions = {}): Promise<Uint8Array> {
  const out: Buffer[] = [];
  // Copied, so that a part's parsed bytes are not kept alive by views into them.
  const { bytes } = await joinPdfPartsInto(parts, async (chunks) => void out.push(Buffer.concat(chunks)), options);
  return Buffer.concat(out, bytes);
}

/**
 * The joined document written to `file` (created; an existing file is an error) as each part is read:
 * Node holds one part and the indexes, never the document, whatever its size.
 */
export async function joinPdfPartsToFile(parts: readonly PdfPart[], file: string, options: JoinOptions = {}): Promise<{ bytes: number; pages: number }> {
  const handle = await open(file, 'wx');
  try {
    return await joinPdfPartsInto(
      parts,
      async (chunks) => {
        const block = Buffer.concat(chunks);
        // A write may take less than the whole block; the rest follows until it is all in the file.
        for (let at = 0; at < block.byteLength; ) at += (await handle.write(block, at, block.byteLength - at)).bytesWritten;
      },
      options,
    );
  } finally {
    await handle.close();
  }
}

export async function joinPdfPartsInto(parts: readonly PdfPart[], sink: JoinSink, options: JoinOptions = {}): Promise<{ bytes: number; pages: number }> {
  const w = new Writer();
  const pagesNum = w.reserve();
  const documentNum = w.reserve();
  const fontNum = w.reserve();
  const openNum = w.reserve();
  w.fix(FIXED.pages, pagesNum);
  w.fix(FIXED.document, documentNum);
  w.fix(FIXED.font, fontNum);

  const pages: { num: number; stamp: number; width: number }[] = [];
  const dests = new Map<string, string>();
  const outline: OutlineEntry[] = [];
  const structKids: number[] = [];
  const parentTree: string[] = [];
  const catalogExtras: string[] = [];
  let roleMap: string | undefined;
  let info: string | undefined;
  let structOffset = 0;
  let tagged = false;

  for (const [index, part] of parts.entries()) {
    const bytes = typeof part === 'function' ? await part() : part;
    // pdf-lib yields to the event loop every few objects by default; on a busy machine that is most of its time.
    const src = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
    const ctx = src.context;
    const base = w.reserve(ctx.largestObjectNumber + 1);
    const skip = new Set<number>();
    const catalogRef = ctx.trailerInfo.Root;
    if (catalogRef instanceof PDFRef) skip.add(catalogRef.objectNumber);
    const infoRef = ctx.trailerInfo.Info;
    if (infoRef instanceof PDFRef) skip.add(infoRef.objectNumber);
    if (index === 0) {
      const infoDict = infoRef === undefined ? undefined : ctx.lookupMaybe(infoRef, PDFDict);
      if (infoDict) info = w.text(infoDict, base);
      for (const key of ['Lang', 'ViewerPreferences', 'MarkInfo']) {
        const value = src.catalog.get(name(key));
        if (value) catalogExtras.push(`/${key} ${w.text(value, base)}`);
      }
    }
    pageTreeNodes(src, skip);

    for (const page of src.getPages()) {
      const leaf = page.node;
      for (const key of INHERITABLE) {
        const value = leaf.getInheritableAttribute(name(key));
        if (value !== undefined && leaf.get(name(key)) === undefined) leaf.set(name(key), value);
      }
      leaf.set(name('Parent'), fixedRef(FIXED.pages));
      const structParents = leaf.lookupMaybe(name('StructParents'), PDFNumber);
      if (structParents) leaf.set(name('StructParents'), PDFNumber.of(structParents.asNumber() + structOffset));
      for (const ref of leaf.lookupMaybe(name('Annots'), PDFArray)?.asArray() ?? []) {
        const annot = ctx.lookupMaybe(ref, PDFDict);
        if (annot === undefined) continue;
        const sp = annot.lookupMaybe(name('StructParent'), PDFNumber);
        if (sp) annot.set(name('StructParent'), PDFNumber.of(sp.asNumber() + structOffset));
        const uri = annot.lookupMaybe(name('A'), PDFDict)?.lookup(name('URI'));
        const text = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : undefined;
        if (text?.startsWith(CROSS_PART_PREFIX)) {
          // The target's part has a named destination for it (pdf-parts.ts makes sure), read by name.
          annot.delete(name('A'));
          annot.set(name('Dest'), name(decodeURIComponent(text.slice(CROSS_PART_PREFIX.length))));
        }
      }
      const stamp = options.pageNumbers ? w.reserve() : 0;
      if (options.pageNumbers) {
        // The page's own drawing runs inside q ... Q, so the number is drawn in a clean graphics state.
        const contents = leaf.get(name('Contents'));
        const list = contents instanceof PDFArray ? contents.asArray() : contents === undefined ? [] : [contents];
        leaf.set(name('Contents'), ctx.obj([absoluteRef(openNum), ...list, absoluteRef(stamp)]));
        const resources = leaf.lookupMaybe(name('Resources'), PDFDict) ?? ctx.obj({});
        leaf.set(name('Resources'), resources);
        const fonts = resources.lookupMaybe(name('Font'), PDFDict) ?? ctx.obj({});
        resources.set(name('Font'), fonts);
        fonts.set(name(PAGE_FONT), fixedRef(FIXED.font));
      }
      pages.push({ num: page.ref.objectNumber + base, stamp, width: page.getWidth() });
    }

    const root = src.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
    const rootRef = src.catalog.get(name('StructTreeRoot'));
    if (root) {
      tagged = true;
      if (rootRef instanceof PDFRef) skip.add(rootRef.objectNumber);
      const topRef = root.get(name('K'));
      const top = root.lookup(name('K'));
      // Chromium's tree is one Document element; its children become the joined document's Document's.
      const isDocument = top instanceof PDFDict && top.lookupMaybe(name('S'), PDFName)?.decodeText() === 'Document';
      if (isDocument && topRef instanceof PDFRef) skip.add(topRef.objectNumber);
      const kids = isDocument ? top.get(name('K')) : topRef;
      const resolved = kids instanceof PDFRef ? ctx.lookup(kids) : kids;
      for (const child of resolved instanceof PDFArray ? resolved.asArray() : [kids]) {
        if (!(child instanceof PDFRef)) continue;
        ctx.lookupMaybe(child, PDFDict)?.set(name('P'), fixedRef(FIXED.document));
        structKids.push(child.objectNumber + base);
      }
      const entries: [number, PDFObject][] = [];
      const nodes: PDFRef[] = [];
      const treeRef = root.get(name('ParentTree'));
      if (treeRef instanceof PDFRef) skip.add(treeRef.objectNumber);
      numberTree(root.lookupMaybe(name('ParentTree'), PDFDict), entries, nodes);
      for (const node of nodes) skip.add(node.objectNumber);
      // Each page's array of its marked content's elements (one reference per mark, thousands on a page of
      // tables) is written now as an object of its own, as the spec has it for pages: the number tree then
      // holds one short entry a page, not the document's every reference until the end.
      for (const [key, value] of entries) {
        if (value instanceof PDFArray) {
          const num = w.reserve();
          w.object(num, w.serialize(value, base));
          parentTree.push(`${key + structOffset} ${num} 0 R`);
        } else parentTree.push(`${key + structOffset} ${w.text(value, base)}`);
      }
      const roles = root.lookupMaybe(name('RoleMap'), PDFDict);
      if (roleMap === undefined && roles !== undefined) roleMap = w.text(roles, base);
      structOffset += root.lookupMaybe(name('ParentTreeNextKey'), PDFNumber)?.asNumber() ?? 0;
    }

    const destsRef = src.catalog.get(name('Dests'));
    if (destsRef instanceof PDFRef) skip.add(destsRef.objectNumber);
    for (const [key, value] of src.catalog.lookupMaybe(name('Dests'), PDFDict)?.entries() ?? []) dests.set(key.asString(), w.text(value, base));
    for (const { level, item } of outlineItems(src, skip)) {
      const title = item.get(name('Title'));
      if (title === undefined) continue;
      const dest = item.get(name('Dest'));
      const se = item.get(name('SE'));
      outline.push({ level, title: w.text(title, base), ...(dest ? { dest: w.text(dest, base) } : {}), ...(se ? { se: w.text(se, base) } : {}) });
    }

    for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
      if (!skip.has(ref.objectNumber)) w.object(ref.objectNumber + base, w.serialize(obj, base));
    }
    await sink(w.drain());
  }

  const stream = (content: string): string[] => [`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n`, content, '\nendstream'];
  w.object(openNum, stream('q\n'));
  if (options.pageNumbers) {
    w.object(fontNum, ['<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>']);
    const font = StandardFontEmbedder.for(StandardFonts.Helvetica as unknown as Parameters<typeof StandardFontEmbedder.for>[0]);
    pages.forEach((page, i) => {
      const text = `Page ${i + 1} of ${pages.length}`;
      const x = page.width - RIGHT_MARGIN_PT - font.widthOfTextAtSize(text, FOOTER_SIZE_PT);
      // Marked as an artifact: pagination is not content, and a screen reader should not read it.
      w.object(page.stamp, stream(`Q\n/Artifact BMC\nq BT /${PAGE_FONT} ${FOOTER_SIZE_PT} Tf ${FOOTER_GREY} ${x.toFixed(2)} ${FOOTER_BASELINE_PT} Td (${text}) Tj ET Q\nEMC\n`));
    });
  }
  w.object(pagesNum, [`<< /Type /Pages /Count ${pages.length} /Kids [${pages.map((p) => `${p.num} 0 R`).join(' ')}] >>`]);

  const catalog = ['/Type /Catalog', `/Pages ${pagesNum} 0 R`, ...catalogExtras];
  if (dests.size > 0) {
    const num = w.reserve();
    w.object(num, ['<<', ...[...dests].map(([key, value]) => `${key} ${value}\n`), '>>']);
    catalog.push(`/Dests ${num} 0 R`);
  }
  const outlineRoot = writeOutline(w, outline);
  if (outlineRoot !== undefined) catalog.push(`/Outlines ${outlineRoot} 0 R`);
  if (tagged) {
    const rootNum = w.reserve();
    const treeNum = w.reserve();
    w.object(documentNum, [`<< /Type /StructElem /S /Document /P ${rootNum} 0 R /K [${structKids.map((n) => `${n} 0 R`).join(' ')}] >>`]);
    w.object(treeNum, ['<< /Nums [', ...parentTree.map((entry) => `${entry}\n`), '] >>']);
    w.object(rootNum, [`<< /Type /StructTreeRoot /K ${documentNum} 0 R /ParentTree ${treeNum} 0 R /ParentTreeNextKey ${structOffset}${roleMap ? ` /RoleMap ${roleMap}` : ''} >>`]);
    catalog.push(`/StructTreeRoot ${rootNum} 0 R`);
  }
  const catalogNum = w.reserve();
  w.object(catalogNum, [`<< ${catalog.join('\n')} >>`]);
  let infoNum: number | undefined;
  if (info !== undefined) {
    infoNum = w.reserve();
    w.object(infoNum, [info]);
  }
  const bytes = await w.finish(catalogNum, infoNum, sink);
  return { bytes, pages: pages.length };
}

/** Writes /Outlines from the parts' entries, nesting each under the last entry of a higher level. */
function writeOutline(w: Writer, entries: OutlineEntry[]): number | undefined {
  if (entries.length === 0) return undefined;
  interface Node { num: number; level: number; entry?: OutlineEntry; children: Node[] }
  const root: Node = { num: w.reserve(), level: 0, children: [] };
  const stack: Node[] = [root];
  for (const entry of entries) {
    while (stack.length > 1 && (stack[stack.length - 1] as Node).level >= entry.level) stack.pop();
    const node: Node = { num: w.reserve(), level: entry.level, entry, children: [] };
    (stack[stack.length - 1] as Node).children.push(node);
    stack.push(node);
  }
  const write = (node: Node, parent: Node | undefined, prev: Node | undefined, next: Node | undefined): number => {
    let count = 0;
    node.children.forEach((child, i) => {
      count += 1 + write(child, node, node.children[i - 1], node.children[i + 1]);
    });
    const fields: string[] = node.entry === undefined ? ['/Type /Outlines'] : [`/Title ${node.entry.title}`];
    if (node.entry?.dest) fields.push(`/Dest ${node.entry.dest}`);
    if (node.entry?.se) fields.push(`/SE ${node.entry.se}`);
    if (parent) fields.push(`/Parent ${parent.num} 0 R`);
    if (prev) fields.push(`/Prev ${prev.num} 0 R`);
    if (next) fields.push(`/Next ${next.num} 0 R`);
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    if (first && last) fields.push(`/First ${first.num} 0 R`, `/Last ${last.num} 0 R`, `/Count ${count}`);
    w.object(node.num, [`<< ${fields.join('\n')} >>`]);
    return count;
  };
  write(root, undefined, undefined, undefined);
  return root.num;
}

/**
 * Where each named destination (an HTML id that some link points at) landed in a PDF Chromium printed:
 * 1-based page numbers, so the report can say "evidence, page 12" in print. Chromium (Skia) writes the
 * catalogue, the page tree and the /Dests dictionary as plain objects, which is all this reads; anything it
 * cannot follow yields no page numbers rather than wrong ones.
 */

function objectText(pdf: string, offsets: ReadonlyMap<number, number>, id: number): string | undefined {
  const start = offsets.get(id);
  if (start === undefined) return undefined;
  const end = pdf.indexOf('endobj', start);
  return end < 0 ? undefined : pdf.slice(start, end);
}

function decodeName(name: string): string {
  return name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function destinationPages(bytes: Uint8Array): Map<string, number> {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const offsets = new Map<number, number>();
  for (const m of pdf.matchAll(/(?:^|[\r\n])(\d+) 0 obj\b/g)) offsets.set(Number(m[1]), (m.index ?? 0) + m[0].length);

  const catalog = /\/Type\s*\/Catalog\b[^]*?(?=endobj)/.exec(pdf)?.[0] ?? '';
  const pagesRoot = /\/Pages\s+(\d+)\s+0\s+R/.exec(catalog)?.[1];
  const destsRef = /\/Dests\s+(\d+)\s+0\s+R/.exec(catalog)?.[1];
  const result = new Map<string, number>();
  if (pagesRoot === undefined || destsRef === undefined) return result;

  // Page objects in document order: a depth-first walk of the page tree.
  const pageNumber = new Map<number, number>();
  const walk = (id: number, depth: number): void => {
    if (depth > 64) return;
    const text = objectText(pdf, offsets, id);
    if (text === undefined) return;
    if (/\/Type\s*\/Pages\b/.test(text)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(text)?.[1] ?? '';
      for (const k of kids.matchAll(/(\d+)\s+0\s+R/g)) walk(Number(k[1]), depth + 1);
    } else {
      pageNumber.set(id, pageNumber.size + 1);
    }
  };
  walk(Number(pagesRoot), 0);

  const dests = objectText(pdf, offsets, Number(destsRef)) ?? '';
  for (const m of dests.matchAll(/\/([^\s/[\]()<>{}%]+)\s*\[\s*(\d+)\s+0\s+R/g)) {
    const page = pageNumber.get(Number(m[2]));
    if (page !== undefined) result.set(decodeName(m[1] ?? ''), page);
  }
  return result;
}

/** Pages in a PDF Chromium printed (its page objects are plain, never in object streams). */
export function pageCount(bytes: Uint8Array): number {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return pdf.match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
}

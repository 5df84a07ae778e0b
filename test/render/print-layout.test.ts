/**
 * The printed report as readers get it, on both paper sizes: the cover holds on page 1, nothing is cut at
 * the edge of the content area (clipping), page references point where the evidence is, and ARNs break only
 * after ":" or "/" so that text copied from the PDF is exact.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPdfRenderer, renderReportPdf, type PdfRenderer } from '../../src/render/index.js';
import type { PaperSize } from '../../src/render/pdf.js';
import type { Review } from '../../src/model/review.js';
import { fixtureReview } from './fixture-review.js';

const PAPER_POINTS: Record<PaperSize, { w: number; h: number }> = { A4: { w: 596, h: 842 }, Letter: { w: 612, h: 792 } };

/** Pages as text, one string per page. */
function pagesOf(file: string): string[] {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\f');
}

/** Points per millimetre. */
const PT_PER_MM = 72 / 25.4;

/**
 * Words Chromium cut at the right edge of the content area: the page clips what overflows its column
 * there, so a long word ending exactly at that edge lost its tail. Short right-aligned labels end there by
 * design and are not counted.
 */
function clippedWords(file: string, pageWidthPt: number): string[] {
  const edge = pageWidthPt - 15 * PT_PER_MM;
  const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const clipped: string[] = [];
  for (const m of xml.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)) {
    if (Number(m[2]) >= edge - 0.5 && (m[3] ?? '').length >= 20) clipped.push(m[3] ?? '');
  }
  return clipped;
}

describe.each(['A4', 'Letter'] as const)('the printed report on %s', (paper) => {
  let renderer: PdfRenderer;
  let dir: string;
  let file: string;
  let review: Review;
  let pages: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `print-${paper}-`));
    renderer = await openPdfRenderer({ paper });
    review = fixtureReview();
    file = join(dir, 'report.pdf');
    await writeFile(file, await renderReportPdf(review, { renderer }));
    pages = pagesOf(file);
  }, 180_000);

  afterAll(async () => {
    await renderer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is printed on that paper', () => {
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
    expect(Math.round(Number(m?.[1]))).toBe(PAPER_POINTS[paper].w);
    expect(Math.round(Number(m?.[2]))).toBe(PAPER_POINTS[paper].h);
  });

  it('holds the whole cover on page 1: risk, tiles, three actions and the changes', () => {
    const [first = '', second = ''] = pages;
    expect(first).toMatch(/Overall risk/i);
    expect(first).toContain('What to do first');
    expect(first.match(/Why:/g)?.length).toBe(3);
    expect(first).toContain('Since the previous review');
    expect(first).toContain('reopened');
    expect(second).toContain('Executive summary');
  });

  it('clips nothing: no long word is cut at the right edge of the content area', () => {
    expect(clippedWords(file, PAPER_POINTS[paper].w)).toEqual([]);
  });

  it('gives the page of each top action\'s evidence, and that page shows it', () => {
    const first = pages[0] ?? '';
    const refs = [...first.matchAll(/evidence, page (\d+)/g)].map((m) => Number(m[1]));
    expect(refs).toHaveLength(3);
    const byId = new Map(review.findings.map((f) => [f.id, f]));
    review.summary.topActions.slice(0, 3).forEach((action, i) => {
      const finding = byId.get(action.findingIds[0] ?? '');
      const page = pages[(refs[i] ?? 0) - 1] ?? '';
      expect(page).toContain(finding?.title.slice(0, 30));
    });
  });

  it('breaks ARNs only after ":" or "/" (text copied from the PDF is exact)', () => {
    // Reading order (not layout), so a cell's wrapped lines follow each other.
    const text = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const arns = new Set(
      review.accounts.flatMap((a) => a.roles.flatMap((r) => [r.arn, ...r.trustGrants.map((g) => g.principal.raw)])).filter((s) => s.startsWith('arn:') && s.length > 40),
    );
    let wrapped = 0;
    for (const arn of arns) {
      const escaped = [...arn].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      // The ARN with a line break allowed between any two characters (raw text: a cell's next line follows).
      const pattern = new RegExp(escaped.join('(?:[ \\t]*\\n)?'), 'g');
      for (const m of text.matchAll(pattern)) {
        if (!m[0].includes('\n')) continue;
        wrapped += 1;
        const before = m[0].slice(0, m[0].indexOf('\n')).trimEnd();
        expect(before.at(-1), `${arn} broken in ${JSON.stringify(m[0])}`).toMatch(/[:/]/);
      }
    }
    expect(arns.size).toBeGreaterThan(3);
    // The fixture's long ARNs do wrap in the narrow columns: the check above is not vacuous.
    expect(wrapped).toBeGreaterThan(0);
  });
});

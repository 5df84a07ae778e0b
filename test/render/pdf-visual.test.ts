import { mkdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { renderPdf } from '../../src/render/pdf.js';
import { fixtureReview } from './fixture-review.js';

const OUT = 'out/render-test';

describe('fixture report as PDF', () => {
  it('prints a multi-page A4 document', async () => {
    const html = await renderHtml(fixtureReview());
    const pdf = await renderPdf(html);
    await mkdir(OUT, { recursive: true });
    await writeFile(`${OUT}/report.html`, html);
    await writeFile(`${OUT}/report.pdf`, pdf);
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const info = execFileSync('pdfinfo', [`${OUT}/report.pdf`], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
  });
});

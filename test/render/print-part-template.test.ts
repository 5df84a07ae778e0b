import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const partials = (file: string): string[] =>
  [...readFileSync(new URL(`../../templates/${file}`, import.meta.url), 'utf8').matchAll(/\{\{>\s*([\w-]+)/g)].map((m) => m[1] as string);

describe('the PDF printed in parts', () => {
  it('holds the same parts, in the same order, as the report printed whole', () => {
    // A part added to report.hbs and not to print-part.hbs would vanish from large PDFs only.
    const whole = partials('report.hbs').filter((p) => !['explorer-head', 'print-part', 'explorer', 'explorer-script', 'explorer-unavailable'].includes(p));
    const parts = partials('partials/print-part.hbs').map((p) => (p === 'evidence-head' || p === 'account' ? 'evidence' : p));
    const dedupe = (list: string[]): string[] => list.filter((p, i) => p !== list[i - 1]);
    expect(dedupe(parts)).toEqual(whole);
  });
});

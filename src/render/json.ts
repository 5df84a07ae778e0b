/**
 * review.json as archived for auditors' tools: pretty, with a trailing newline, and byte-stable for the
 * same review whatever order the analysis happened to build objects in (so archived runs diff cleanly).
 * Keys are sorted, except that `kind` and `schemaVersion` lead, so a reader sees what the file is first.
 */
import type { Review } from '../model/review.js';

const LEADING_KEYS = ['kind', 'schemaVersion'];

function orderKeys(keys: string[]): string[] {
  const lead = LEADING_KEYS.filter((k) => keys.includes(k));
  const rest = keys.filter((k) => !LEADING_KEYS.includes(k)).sort();
  return [...lead, ...rest];
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of orderKeys(Object.keys(source))) out[key] = normalize(source[key]);
    return out;
  }
  return value;
}

export function stableJson(value: unknown): string {
  return `${JSON.stringify(normalize(value), null, 2)}\n`;
}

export function renderReviewJson(review: Review): string {
  return stableJson(review);
}

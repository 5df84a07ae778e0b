/**
 * Exit codes and the errors that map to them. Kept free of heavy imports: `--help`, `rules` and `verify`
 * start from here without loading the AWS SDK, Puppeteer or the action catalogue.
 */
import { SEVERITIES, type Review, type Severity } from '../model/review.js';

export const EXIT = { ok: 0, failure: 1, usage: 2, delivery: 3, findings: 4, checks: 5 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function countAtOrAbove(review: Review, threshold: Severity): number {
  const limit = SEVERITIES.indexOf(threshold);
  return review.findings.filter((f) => f.status !== 'suppressed' && SEVERITIES.indexOf(f.severity) <= limit).length;
}

/** Delivery problems outrank findings: a report nobody received is the first thing to fix. */
export function exitCodeFor(result: { review: Review; deliveryErrors: readonly string[] }, failOn?: Severity): number {
  if (result.deliveryErrors.length > 0) return EXIT.delivery;
  if (failOn && countAtOrAbove(result.review, failOn) > 0) return EXIT.findings;
  return EXIT.ok;
}

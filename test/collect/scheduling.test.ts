import { describe, expect, it } from 'vitest';
import { largestFirst } from '../../src/collect/index.js';
import { accountConcurrency, AUTO_CONCURRENCY_MAX } from '../../src/config/config.js';
import type { UsageLedger } from '../../src/model/snapshot.js';

const ledger = (counts: number[]): UsageLedger => ({
  region: 'us-east-1',
  eventNames: ['AssumeRole'],
  coveredUntil: '2026-12-05T00:00:00.000Z',
  keys: [{ roleArn: 'arn:aws:iam::111111111111:role/r', eventName: 'AssumeRole' }],
  rows: counts.map((n, i) => [`2026-11-${String(10 + i).padStart(2, '0')}`, 0, n, 0, 0, 1_700_000_000, 1_700_000_000]),
});

describe('account scheduling', () => {
  it('"auto" runs every account in scope at once, up to the cap; a number is taken as given', () => {
    expect(accountConcurrency('auto', 5)).toBe(5);
    expect(accountConcurrency('auto', 50)).toBe(50);
    expect(accountConcurrency('auto', 500)).toBe(AUTO_CONCURRENCY_MAX);
    expect(accountConcurrency('auto', 0)).toBe(1);
    expect(accountConcurrency(8, 50)).toBe(8);
  });

  it('starts the accounts whose previous ledgers counted the most events first; without ledgers keeps the order', () => {
    const targets = [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }];
    const ledgers = new Map([
      ['b', [ledger([10, 20]), ledger([5])]],
      ['c', [ledger([400])]],
      ['d', [ledger([1])]],
    ]);
    expect(largestFirst(targets, ledgers).map((t) => t.id)).toEqual(['c', 'b', 'd', 'a']);
    expect(largestFirst(targets, new Map()).map((t) => t.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});

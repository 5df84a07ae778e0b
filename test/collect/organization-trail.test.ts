/** The trail reader's pure parts: which day folders a window needs, reading one log file, the ledger cut. */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflatedSizeHint, ledgerBefore, readLogRecords, readLogText, trailAccountPrefix, trailDays } from '../../src/collect/organization-trail.js';
import type { LedgerDays } from '../../src/collect/usage-ledger.js';

describe('trailDays', () => {
  it('reads every day a range touches and the first hour of the next day, where late deliveries land', () => {
    const days = trailDays([{ start: '2026-11-01T00:00:00.000Z', end: '2026-11-03T12:00:00.000Z', endExclusive: false }]);
    expect([...days.entries()]).toEqual([
      ['2026-11-01', {}],
      ['2026-11-02', {}],
      ['2026-11-03', {}],
      ['2026-11-04', { until: '20261103T1300Z' }],
    ]);
  });

  it('a range ending at midnight (exclusive) does not read that day whole, only its first hour', () => {
    const days = trailDays([
      { start: '2026-10-31T18:00:00.000Z', end: '2026-11-01T00:00:00.000Z', endExclusive: true },
      { start: '2026-11-05T11:30:00.000Z', end: '2026-11-06T09:00:00.000Z', endExclusive: false },
    ]);
    expect([...days.entries()]).toEqual([
      ['2026-10-31', {}],
      ['2026-11-01', { until: '20261101T0059Z' }],
      ['2026-11-05', {}],
      ['2026-11-06', {}],
      ['2026-11-07', { until: '20261106T1000Z' }],
    ]);
  });

  it('a spill-over day that another range reads whole is read whole', () => {
    const days = trailDays([
      { start: '2026-10-31T18:00:00.000Z', end: '2026-11-01T00:00:00.000Z', endExclusive: true },
      { start: '2026-11-01T00:00:00.000Z', end: '2026-11-01T10:00:00.000Z', endExclusive: false },
    ]);
    expect(days.get('2026-11-01')).toEqual({});
  });
});

describe('trailAccountPrefix', () => {
  it('organization and account trail layouts, with and without a prefix', () => {
    expect(trailAccountPrefix({ bucket: 'b', prefix: 'logs/', organizationId: 'o-abcdefghij' }, '111122223333', 'eu-west-1')).toBe(
      'logs/AWSLogs/o-abcdefghij/111122223333/CloudTrail/eu-west-1/',
    );
    expect(trailAccountPrefix({ bucket: 'b' }, '111122223333', 'us-east-1')).toBe('AWSLogs/111122223333/CloudTrail/us-east-1/');
  });
});

describe('readLogRecords', () => {
  const stream = (b: Buffer, chunk = 7): Readable => Readable.from(Array.from({ length: Math.ceil(b.length / chunk) }, (_, i) => b.subarray(i * chunk, (i + 1) * chunk)));

  it('gunzips a log file arriving in small chunks and returns its records', async () => {
    const records = [{ eventName: 'AssumeRole', eventTime: '2026-11-01T00:00:00Z' }, { eventName: 'GetObject' }];
    expect(await readLogRecords(stream(gzipSync(Buffer.from(JSON.stringify({ Records: records })))))).toEqual(records);
  });

  it('inflates in one piece the size gzip\'s trailer states, and a trailer stating too much is not trusted', async () => {
    const text = Buffer.from(JSON.stringify({ Records: Array.from({ length: 400 }, (_, i) => ({ eventName: 'GetObject', requestID: `r-${i}` })) }));
    const gz = gzipSync(text);
    expect(inflatedSizeHint(gz)).toBe(text.length + 1);
    expect((await readLogText(stream(gz))).equals(text)).toBe(true);
    // A damaged trailer claiming 4 GB: the hint falls back to 8 times the compressed size, and the
    // inflating itself still fails on the damage (gzip checks the length it states).
    const lying = Buffer.from(gz);
    lying.writeUInt32LE(0xffffffff, lying.length - 4);
    expect(inflatedSizeHint(lying)).toBe(Math.max(1024, lying.length * 8));
    await expect(readLogText(stream(lying))).rejects.toThrow(/^not valid gzip: /);
  });

  it('refuses what is not a trail log file, saying why', async () => {
    await expect(readLogRecords(stream(Buffer.from('{"Records":[]}')))).rejects.toThrow('not gzip (no gzip header)');
    await expect(readLogRecords(stream(gzipSync(Buffer.from('{"Records":[')).subarray(0, 12)))).rejects.toThrow(/^not valid gzip: /);
    await expect(readLogRecords(stream(gzipSync(Buffer.from('{"Records":['))))).rejects.toThrow(/^not valid JSON: /);
    await expect(readLogRecords(stream(gzipSync(Buffer.from('[]'))))).rejects.toThrow('not a CloudTrail log file (no Records array)');
    await expect(readLogRecords(stream(Buffer.alloc(0)))).rejects.toThrow('empty object');
  });
});

describe('ledgerBefore', () => {
  const ledger: LedgerDays = {
    region: 'us-east-1',
    eventNames: ['AssumeRole'],
    coveredUntil: '2026-11-20T11:30:00.000Z',
    days: ['2026-11-08', '2026-11-09', '2026-11-10', '2026-11-19'].map((day) => ({ day, assumptions: [] })),
  };

  it('stops the day before a failed day folder, whose files may hold that day\'s late events', () => {
    const cut = ledgerBefore(ledger, '2026-11-10');
    expect(cut.coveredUntil).toBe('2026-11-09T00:00:00.000Z');
    expect(cut.days.map((d) => d.day)).toEqual(['2026-11-08']);
  });

  it('leaves a ledger that ends before the failed day as it is', () => {
    expect(ledgerBefore({ ...ledger, coveredUntil: '2026-11-05T00:00:00.000Z' }, '2026-11-10')).toEqual({ ...ledger, coveredUntil: '2026-11-05T00:00:00.000Z' });
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { etaSeconds, formatDuration, progressLine, progressReporter } from '../../src/cli/progress.js';

const LIMITS = { requestsPerSecond: 2, regions: 2, concurrency: 4 };

describe('collection progress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('estimates the time left from CloudTrail\'s rate limit and the pages finished accounts needed', () => {
    expect(etaSeconds({ accountsTotal: 40, accountsDone: 0, cloudtrailPages: 30 }, LIMITS)).toBeUndefined();
    // 10 done needed 800 pages (80 each); 30 left need 2,400 pages at 2/s x 2 regions x 4 accounts at once.
    expect(etaSeconds({ accountsTotal: 40, accountsDone: 10, cloudtrailPages: 800 }, LIMITS)).toBe(150);
    // With fewer accounts left than the concurrency, only those run at once.
    expect(etaSeconds({ accountsTotal: 12, accountsDone: 10, cloudtrailPages: 800 }, LIMITS)).toBe(20); // 160 pages at 2/s x 2 regions x 2 accounts
    expect(etaSeconds({ accountsTotal: 12, accountsDone: 12, cloudtrailPages: 800 }, LIMITS)).toBe(0);
    expect(formatDuration(150)).toBe('2m 30s');
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe('3h 05m');
    expect(progressLine({ accountsTotal: 40, accountsDone: 10, cloudtrailPages: 800 }, LIMITS)).toBe('collecting: 10/40 account(s), 800 CloudTrail page(s), ETA 2m 30s');
  });

  it('on a terminal, redraws one line in place, keeps log lines whole, and ends it with the last account', () => {
    const out: string[] = [];
    const p = progressReporter({ limits: LIMITS, tty: true, write: (t) => out.push(t), log: () => undefined });
    p.accountsTotal(2);
    for (let i = 0; i < 10; i++) p.cloudtrailPage();
    vi.advanceTimersByTime(300);
    expect(out).toEqual(['\r\x1b[Kcollecting: 0/2 account(s), 10 CloudTrail page(s), ETA after the first account']);
    p.print('{"event":"collect.account"}\n');
    expect(out[1]).toBe('\r\x1b[K{"event":"collect.account"}\n');
    p.accountDone();
    vi.advanceTimersByTime(300);
    expect(out[2]).toBe('\r\x1b[Kcollecting: 1/2 account(s), 10 CloudTrail page(s), ETA 3s');
    p.accountDone();
    expect(out.slice(3)).toEqual(['\r\x1b[Kcollecting: 2/2 account(s), 10 CloudTrail page(s), ETA 0s', '\n']);
    // After the collection, log lines are written as they are.
    p.print('{"event":"render.done"}\n');
    expect(out.at(-1)).toBe('{"event":"render.done"}\n');
    vi.advanceTimersByTime(5000);
    expect(out).toHaveLength(6);
  });

  it('without a terminal, logs a JSON heartbeat each interval and a last one at the end', () => {
    const lines: { event: string; fields: Record<string, unknown> }[] = [];
    const p = progressReporter({ limits: LIMITS, tty: false, write: () => undefined, log: (event, fields = {}) => lines.push({ event, fields }), heartbeatMs: 10_000 });
    p.accountsTotal(3);
    p.cloudtrailPage();
    vi.advanceTimersByTime(10_000);
    expect(lines).toEqual([{ event: 'progress', fields: { accountsTotal: 3, accountsDone: 0, cloudtrailPages: 1 } }]);
    p.cloudtrailPage();
    p.accountDone();
    vi.advanceTimersByTime(10_000);
    expect(lines[1]).toEqual({ event: 'progress', fields: { accountsTotal: 3, accountsDone: 1, cloudtrailPages: 2, etaSeconds: 1 } });
    p.accountDone();
    p.accountDone();
    expect(lines[2]).toEqual({ event: 'progress', fields: { accountsTotal: 3, accountsDone: 3, cloudtrailPages: 2, etaSeconds: 0 } });
    p.stop();
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(3);
  });

  it('a trail read has no rate limit: it counts S3 requests and carries the pace so far forward, saying so', () => {
    const trail = { accountsTotal: 10, accountsDone: 4, cloudtrailPages: 0, usageSource: 'organization-trail' as const, trailRequests: 900 };
    expect(etaSeconds(trail, LIMITS)).toBeUndefined();
    // 4 accounts in 60 s: the 6 left at that pace take 90 s.
    expect(etaSeconds({ ...trail, elapsedSeconds: 60 }, LIMITS)).toBe(90);
    expect(progressLine({ ...trail, elapsedSeconds: 60 }, LIMITS)).toBe('collecting: 4/10 account(s), 900 trail S3 request(s), ETA 1m 30s at the pace so far');
    expect(progressLine({ ...trail, accountsDone: 10, elapsedSeconds: 60 }, LIMITS)).toBe('collecting: 10/10 account(s), 900 trail S3 request(s), ETA 0s');
  });

  it('the reporter times a trail read with its clock, on a terminal and in heartbeats', () => {
    const out: string[] = [];
    const lines: { event: string; fields: Record<string, unknown> }[] = [];
    let ms = 1_000_000;
    const p = progressReporter({ limits: LIMITS, tty: true, write: (t) => out.push(t), log: () => undefined, now: () => ms });
    p.usageSource?.('organization-trail');
    p.accountsTotal(3);
    for (let i = 0; i < 7; i++) p.trailRequest?.();
    vi.advanceTimersByTime(300);
    expect(out.at(-1)).toBe('\r\x1b[Kcollecting: 0/3 account(s), 7 trail S3 request(s), ETA after the first account');
    ms += 20_000;
    p.accountDone();
    vi.advanceTimersByTime(300);
    expect(out.at(-1)).toBe('\r\x1b[Kcollecting: 1/3 account(s), 7 trail S3 request(s), ETA 40s at the pace so far');
    p.stop();

    const h = progressReporter({ limits: LIMITS, tty: false, write: () => undefined, log: (event, fields = {}) => lines.push({ event, fields }), heartbeatMs: 10_000, now: () => ms });
    h.usageSource?.('organization-trail');
    h.accountsTotal(2);
    h.trailRequest?.();
    ms += 30_000;
    h.accountDone();
    vi.advanceTimersByTime(10_000);
    expect(lines).toEqual([
      { event: 'progress', fields: { accountsTotal: 2, accountsDone: 1, cloudtrailPages: 0, usageSource: 'organization-trail', trailRequests: 1, etaSeconds: 30, etaBasis: 'pace so far' } },
    ]);
    h.stop();
  });

  it('an Athena run counts its queries, requests and bytes scanned so far, and gives no ETA it cannot know', () => {
    const athena = { accountsTotal: 10, accountsDone: 0, cloudtrailPages: 0, usageSource: 'athena' as const, athenaRequests: 0, athenaQueriesStarted: 0, athenaQueriesFinished: 0, athenaScannedBytes: 0 };
    expect(progressLine(athena, LIMITS)).toBe('collecting: 0/10 account(s), Athena: no query started yet, 0 request(s), 0 bytes scanned so far (Athena gives no ETA)');
    expect(progressLine({ ...athena, accountsDone: 4, athenaRequests: 9, athenaQueriesStarted: 1, athenaQueriesFinished: 0, athenaScannedBytes: 5 * 1048576 + 1 }, LIMITS)).toBe(
      'collecting: 4/10 account(s), Athena: 0 of 1 query finished, 9 request(s), 5.0 MB scanned so far (Athena gives no ETA)',
    );
    expect(progressLine({ ...athena, accountsDone: 10, athenaRequests: 14, athenaQueriesStarted: 2, athenaQueriesFinished: 2, athenaScannedBytes: 1536 }, LIMITS)).toBe(
      'collecting: 10/10 account(s), Athena: 2 of 2 queries finished, 14 request(s), 1.5 KB scanned so far (Athena gives no ETA)',
    );
  });

  it('the reporter sums each Athena query\'s latest bytes (a poll replaces that query\'s figure) and never counts its requests as CloudTrail pages', () => {
    const out: string[] = [];
    const lines: { event: string; fields: Record<string, unknown> }[] = [];
    const p = progressReporter({ limits: LIMITS, tty: true, write: (t) => out.push(t), log: () => undefined });
    p.usageSource?.('athena');
    p.accountsTotal(3);
    for (let i = 0; i < 3; i++) p.athenaRequest?.();
    p.athenaQuery?.({ key: 1, finished: false, scannedBytes: 0 });
    p.athenaQuery?.({ key: 1, finished: false, scannedBytes: 1000 });
    p.athenaQuery?.({ key: 1, finished: false, scannedBytes: 3000 });
    p.athenaQuery?.({ key: 2, finished: false, scannedBytes: 500 });
    vi.advanceTimersByTime(300);
    expect(out.at(-1)).toBe('\r\x1b[Kcollecting: 0/3 account(s), Athena: 0 of 2 queries finished, 3 request(s), 3.4 KB scanned so far (Athena gives no ETA)');
    p.athenaQuery?.({ key: 1, finished: true, scannedBytes: 4096 });
    p.athenaRequest?.();
    p.accountDone();
    vi.advanceTimersByTime(300);
    expect(out.at(-1)).toBe('\r\x1b[Kcollecting: 1/3 account(s), Athena: 1 of 2 queries finished, 4 request(s), 4.5 KB scanned so far (Athena gives no ETA)');
    p.stop();

    const h = progressReporter({ limits: LIMITS, tty: false, write: () => undefined, log: (event, fields = {}) => lines.push({ event, fields }), heartbeatMs: 10_000 });
    h.usageSource?.('athena');
    h.accountsTotal(2);
    h.athenaRequest?.();
    h.athenaQuery?.({ key: 1, finished: true, scannedBytes: 2048 });
    h.accountDone();
    vi.advanceTimersByTime(10_000);
    expect(lines).toEqual([
      {
        event: 'progress',
        fields: { accountsTotal: 2, accountsDone: 1, cloudtrailPages: 0, usageSource: 'athena', athenaRequests: 1, athenaQueriesStarted: 1, athenaQueriesFinished: 1, athenaScannedBytes: 2048 },
      },
    ]);
    h.stop();
  });
});

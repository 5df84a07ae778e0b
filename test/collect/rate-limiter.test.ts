import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/collect/rate-limiter.js';
import { mapBounded } from '../../src/collect/bounded.js';

describe('RateLimiter', () => {
  it('spaces calls under one key at 1/rate and keeps keys independent', async () => {
    let now = 1_000;
    const waits: number[] = [];
    const limiter = new RateLimiter(2, () => now, async (ms) => {
      waits.push(ms);
    });
    await limiter.take('a');
    await limiter.take('a');
    await limiter.take('a');
    await limiter.take('b');
    expect(waits).toEqual([500, 1000]);
    now += 1_000;
    await limiter.take('a');
    expect(waits).toEqual([500, 1000, 500]);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new RateLimiter(0)).toThrow(/positive/);
  });
});

describe('mapBounded', () => {
  it('never runs more than the limit at once and keeps order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});

describe('shareCredentials', () => {
  it('assumes once for many clients, refreshes near expiry and retries after a failure', async () => {
    const { shareCredentials } = await import('../../src/collect/clients.js');
    let now = 0;
    let calls = 0;
    let fail = false;
    const provider = async () => {
      calls += 1;
      if (fail) throw new Error('AccessDenied');
      return { accessKeyId: `K${calls}`, secretAccessKey: 's', expiration: new Date(now + 3_600_000) };
    };
    const shared = shareCredentials(provider, () => now);
    const keys = await Promise.all([shared(), shared(), shared()]);
    expect(keys.map((k) => k.accessKeyId)).toEqual(['K1', 'K1', 'K1']);
    expect(calls).toBe(1);
    now += 56 * 60_000;
    expect((await shared()).accessKeyId).toBe('K2');
    now += 56 * 60_000;
    fail = true;
    await expect(shared()).rejects.toThrow('AccessDenied');
    fail = false;
    expect((await shared()).accessKeyId).toBe('K4');
  });
});

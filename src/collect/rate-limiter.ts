/**
 * A token bucket per key: CloudTrail LookupEvents allows 2 requests/second per account and region, and
 * staying under the limit is faster than bouncing off it through retries.
 */
export class RateLimiter {
  private readonly next = new Map<string, number>();

  constructor(
    private readonly perSecond: number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(perSecond > 0)) throw new Error(`rate must be positive, got ${perSecond}`);
  }

  /** Resolves when the caller may send one request under `key`. Calls are served in order. */
  async take(key: string): Promise<void> {
    const interval = 1000 / this.perSecond;
    const now = this.clock();
    const slot = Math.max(now, this.next.get(key) ?? now);
    this.next.set(key, slot + interval);
    const wait = slot - now;
    if (wait > 0) await this.sleep(wait);
  }
}

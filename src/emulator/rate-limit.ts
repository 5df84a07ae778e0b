/**
 * A token bucket per key (account and region for CloudTrail LookupEvents): `rate` requests a second, with
 * a burst of the same size. Requests beyond it are refused, as AWS refuses them, rather than queued.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private ratePerSecond: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  setRate(ratePerSecond: number): void {
    this.ratePerSecond = ratePerSecond;
    this.buckets.clear();
  }

  get rate(): number {
    return this.ratePerSecond;
  }

  take(key: string): boolean {
    if (!(this.ratePerSecond > 0) || !Number.isFinite(this.ratePerSecond)) return true;
    const capacity = Math.max(1, this.ratePerSecond);
    const now = this.clock();
    const b = this.buckets.get(key) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(key, b);
    return ok;
  }
}

/** Maps with at most `limit` calls in flight, keeping the input order in the result. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/**
 * At most `size` tasks running at once among everyone who shares it, served in order. The collector shares
 * one across its accounts for the work CloudTrail's floor does not wait on (the IAM inventory, Access
 * Advisor, Access Analyzer details): unbounded, fifty accounts put hundreds of such requests in flight at
 * once, and each LookupEvents response, the floor's next step, then waits behind all of them — in the
 * collector's event loop and in the service's queue alike.
 */
export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new Error(`gate size must be at least 1, got ${size}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.size) this.running += 1;
    // The finishing task hands its place straight to the next in line, so `running` is unchanged then.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** Runs the task through the gate when there is one. */
export function through<T>(gate: Gate | undefined, task: () => Promise<T>): Promise<T> {
  return gate ? gate.run(task) : task();
}

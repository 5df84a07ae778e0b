/**
 * Fault injection: throttling and 5xx at a set rate per operation, added latency, AccessDenied for chosen
 * accounts or operations. Decisions draw from a seeded generator, so a test run that passes once passes
 * every time (for the same sequence of requests).
 */
import { Rng } from './prng.js';

export interface FaultConfig {
  /** "service:Operation" (or "service:*", or "*") -> probability 0..1 of a throttling error. */
  throttle?: Record<string, number>;
  /** Added to every response, in milliseconds. */
  latencyMs?: number;
  /** "service:Operation" (or "service:*") -> milliseconds added to that operation instead of `latencyMs`. */
  latencyByOperation?: Record<string, number>;
  /** "service:Operation" (or "service:*", or "*") -> probability 0..1 of a 5xx error. */
  serverErrors?: Record<string, number>;
  /** AssumeRole into these accounts is refused with AccessDenied. */
  denyAccounts?: string[];
  /** accountId -> operations ("cloudtrail:LookupEvents", "iam:*") refused with AccessDenied in that account. */
  denyOperations?: Record<string, string[]>;
  /** KMS key ids whose kms:Decrypt is refused: GetObject of an SSE-KMS object under such a key is AccessDenied. */
  denyKmsDecrypt?: string[];
  /** Security Hub BatchImportFindings refuses findings whose Id contains one of these strings (in FailedFindings). */
  rejectFindings?: string[];
  /** Access Advisor jobs (GenerateServiceLastAccessedDetails). */
  lastAccessedJobs?: LastAccessedJobFaults;
}

export interface LastAccessedJobFaults {
  /** GetServiceLastAccessedDetails calls that see IN_PROGRESS before the job completes (default 1; Infinity: never). */
  pollsUntilDone?: number;
  /** Jobs for these role ARNs (or role names) end FAILED. */
  fail?: string[];
  /**
   * Both Access Advisor calls together, per account and second, beyond which IAM answers Throttling (IAM
   * publishes no figure; benchmarks set one). Unset: no limit.
   */
  requestsPerSecond?: number;
}

function rateFor(table: Record<string, number> | undefined, operation: string): number {
  if (!table) return 0;
  const service = operation.split(':')[0] ?? '';
  return table[operation] ?? table[`${service}:*`] ?? table['*'] ?? 0;
}

function matches(patterns: string[], operation: string): boolean {
  const service = operation.split(':')[0] ?? '';
  return patterns.some((p) => p === operation || p === `${service}:*` || p === '*');
}

export class Faults {
  private config: FaultConfig;
  private readonly rng: Rng;

  constructor(seed: number, config: FaultConfig = {}) {
    this.rng = new Rng(seed).fork('faults');
    this.config = config;
  }

  set(config: FaultConfig): void {
    this.config = config;
  }

  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  latencyFor(operation: string): number {
    const table = this.config.latencyByOperation;
    const service = operation.split(':')[0] ?? '';
    return table?.[operation] ?? table?.[`${service}:*`] ?? this.latencyMs;
  }

  /** Draws only when a rate is set, so configuring one operation does not shift another's sequence. */
  private roll(rate: number): boolean {
    if (rate <= 0) return false;
    if (rate >= 1) return true;
    return this.rng.next() < rate;
  }

  throttles(operation: string): boolean {
    return this.roll(rateFor(this.config.throttle, operation));
  }

  fails(operation: string): boolean {
    return this.roll(rateFor(this.config.serverErrors, operation));
  }

  get lastAccessedJobs(): LastAccessedJobFaults {
    return this.config.lastAccessedJobs ?? {};
  }

  deniesAssumeRoleInto(accountId: string): boolean {
    return this.config.denyAccounts?.includes(accountId) ?? false;
  }

  rejectsFinding(id: string): boolean {
    return this.config.rejectFindings?.some((s) => id.includes(s)) ?? false;
  }

  deniesDecrypt(kmsKeyId: string): boolean {
    return this.config.denyKmsDecrypt?.includes(kmsKeyId) ?? false;
  }

  deniesOperation(accountId: string, operation: string): boolean {
    const list = this.config.denyOperations?.[accountId];
    return list ? matches(list, operation) : false;
  }
}

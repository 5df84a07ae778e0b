/** The messages between the collector and its worker threads (worker-pool.ts, worker.ts): plain data only. */
import type { AccountSnapshot, TimeWindow, UsageLedger } from '../model/snapshot.js';
import type { Config } from '../config/config.js';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { UsageSourceChoice } from './usage-source.js';
import type { AwsSettings } from './clients.js';

export const WORKER_KIND = 'access-review.collect-accounts';

export interface WorkerJob {
  kind: typeof WORKER_KIND;
  config: Config;
  window: TimeWindow;
  usageSource?: UsageSourceChoice;
  selfAccount: string;
  /** Largest first, as the main thread scheduled them. */
  accounts: { id: string; name?: string }[];
  ledgers: [string, UsageLedger[]][];
  /** Accounts of this group collected at once. */
  concurrency: number;
  /** The main thread's client settings (ClientFactory.origin). */
  aws: AwsSettings;
  /** Static credentials to build the clients from; absent: the SDK's default chain, resolved in the worker. */
  credentials?: AwsCredentialIdentity;
  /** The trust predicate for Access Advisor's role selection is the entry's (see runCollectWorker). */
  assumableFromOutside: boolean;
}

export type WorkerMessage =
  | { type: 'page' }
  | { type: 'account'; snapshot: AccountSnapshot }
  | { type: 'log'; event: string; fields: Record<string, unknown> }
  | { type: 'done' };

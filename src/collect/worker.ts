/**
 * The worker-thread side of collection: a group of organization accounts, with its own SDK clients and
 * rate limiter, each account sent back as it finishes. A module that starts a worker (the CLI's
 * collect-worker entry) calls runCollectWorker with the hooks a worker cannot be sent (functions).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RoleRecord } from '../model/snapshot.js';
import { createClientFactory } from './clients.js';
import { mapBounded } from './bounded.js';
import { backgroundGate, collectOrgAccount, PageCountingLimiter } from './org-account.js';
import { WORKER_KIND, type WorkerJob, type WorkerMessage } from './worker-protocol.js';

export interface WorkerHooks {
  assumableFromOutside?: (role: RoleRecord, accountId: string) => boolean;
}

export async function runCollectWorker(hooks: WorkerHooks = {}): Promise<void> {
  const port = parentPort;
  const job = workerData as WorkerJob | undefined;
  if (!port || job?.kind !== WORKER_KIND) throw new Error('runCollectWorker runs only in a collector worker thread');
  const send = (m: WorkerMessage): void => port.postMessage(m);
  // Told a trust predicate and given none, it would ask Access Advisor about other roles than in-process.
  if (job.assumableFromOutside && !hooks.assumableFromOutside) throw new Error('this worker entry has no trust predicate, but the collector uses one');
  const clients = createClientFactory(job.aws, ...(job.credentials ? [job.credentials] : []));
  const setup = {
    config: job.config,
    window: job.window,
    ...(job.usageSource ? { usageSource: job.usageSource } : {}),
    clients,
    limiter: new PageCountingLimiter(job.config.cloudtrail.requestsPerSecond, () => send({ type: 'page' })),
    ledgers: new Map(job.ledgers),
    background: backgroundGate(),
    ...(job.assumableFromOutside && hooks.assumableFromOutside ? { assumableFromOutside: hooks.assumableFromOutside } : {}),
  };
  const log = (event: string, fields: Record<string, unknown>): void => send({ type: 'log', event, fields });
  await mapBounded(job.accounts, job.concurrency, async (account) => {
    send({ type: 'account', snapshot: await collectOrgAccount(setup, job.selfAccount, account, log) });
  });
  send({ type: 'done' });
}

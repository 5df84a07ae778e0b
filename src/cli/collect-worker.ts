/**
 * The CLI's collector worker thread (collect/worker-pool.ts starts it): the collector's worker side, with
 * the trust analysis the CLI hands collection on the main thread too (which roles Access Advisor is asked about).
 */
import { runCollectWorker } from '../collect/worker.js';
import { assumableFromOutsideAccount } from '../analyze/least-privilege/outside-account.js';

await runCollectWorker({ assumableFromOutside: assumableFromOutsideAccount });

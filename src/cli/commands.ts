import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { Config, EmailConfig } from '../config/config.js';
import { sendRawEmail } from '../deliver/email.js';
import { sendRawSmtp } from '../deliver/smtp.js';
import type { EmailSender } from './email-step.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Review } from '../model/review.js';
import { SNAPSHOT_KIND, withPolicyNames } from '../model/snapshot.js';
import { createClientFactory, type ClientFactory, type Credentials } from '../collect/clients.js';
import { collectSnapshot, type CollectContext, type CollectProgress } from '../collect/index.js';
import { assumableFromOutsideAccount } from '../analyze/least-privilege/outside-account.js';
import { ledgersOf, loadPreviousSnapshot, previousRunFinder, REVIEW_NAME, SNAPSHOT_NAME, type FindPrevious } from '../deliver/previous-run.js';
import { makeRunId, scopeIdOf } from '../deliver/layout.js';
import { validateAgainst } from '../config/validate.js';
import { UsageError } from './exit.js';
import { analyzeAndDeliver, scopeIdOfSnapshot, type PipelineResult } from './pipeline.js';
import { loadArchivedPreviousReview, loadPreviousReviewFile, type PreviousReview } from './previous-review.js';
import type { Logger } from './log.js';
import { untilStopped } from './interrupt.js';
import { TOOL } from '../package-root.js';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { exportToSecurityHub, type SecurityHubExport } from '../deliver/security-hub.js';

export { EXIT, UsageError, exitCodeFor } from './exit.js';

/** The module a collector worker thread runs (collect-worker.ts, built beside this one). */
const COLLECT_WORKER = new URL('./collect-worker.js', import.meta.url);

export function newRunId(now: Date): string {
  return makeRunId(now, randomBytes(3).toString('hex'));
}

export interface RunOptions {
  config: Config;
  log: Logger;
  now?: Date;
  credentials?: Credentials;
  /** Aborted on SIGTERM/SIGINT for a one-off run (schedule mode finishes its runs instead). */
  stop?: AbortSignal;
  /** Accounts, CloudTrail pages and an ETA while collecting (a live line or heartbeat lines). */
  progress?: CollectProgress;
}

/** collect -> analyze -> render -> deliver, against whatever AWS endpoint the config and env name. */
export async function runJob(opts: RunOptions): Promise<PipelineResult> {
  // One shard alone would be delivered as if it were the whole organization.
  if (opts.config.scope.shard) throw new UsageError('scope.shard is set: a sharded collection runs as `run` in each shard (Indexed Job), not in schedule or demo mode');
  const now = opts.now ?? new Date();
  const clients = clientsFor(opts);
  const runId = newRunId(now);
  opts.log('run.start', { runId, mode: opts.config.scope.mode, regions: opts.config.regions });
  const findPrevious = previousFinder(opts.config, clients, runId);
  const ctx = collectContext(opts.config, clients, now, runId, opts.log, findPrevious);
  // Collection can take hours; a signal abandons it at once (nothing has been written yet).
  const snapshot = await untilStopped(
    collectSnapshot(opts.config, { ...ctx, ...(opts.progress ? { progress: opts.progress } : {}), ...(opts.stop ? { stop: opts.stop } : {}) }),
    opts.stop,
    'collection',
  );
  return deliverSnapshot(snapshot, opts.config, clients, now, opts.log, findPrevious, opts.stop);
}

function previousFinder(config: Config, clients: ClientFactory, runId: string): FindPrevious | undefined {
  const bucket = config.archive.bucket;
  return bucket ? previousRunFinder(clients.s3(), { bucket, prefix: config.archive.prefix }, runId) : undefined;
}

/** What collection needs besides the config: clients, ids, and the previous run's ledgers when archived. */
export function collectContext(
  config: Config,
  clients: ClientFactory,
  now: Date,
  runId: string,
  log: Logger,
  findPrevious: FindPrevious | undefined = previousFinder(config, clients, runId),
): CollectContext {
  const ctx: CollectContext = { clients, now, runId, tool: TOOL, log, assumableFromOutside: assumableFromOutsideAccount };
  // Built, the worker entry sits beside this module; run from sources (tests) there is none, and the
  // accounts are collected on the main thread.
  if (existsSync(fileURLToPath(COLLECT_WORKER))) ctx.workers = { entry: COLLECT_WORKER };
  const bucket = config.archive.bucket;
  if (bucket && findPrevious) {
    ctx.previousLedgers = async (scope) => {
      const previous = await loadPreviousSnapshot(clients.s3(), { bucket, prefix: config.archive.prefix }, findPrevious(scopeIdOf(scope), SNAPSHOT_NAME));
      if (previous) log('collect.ledgers.from', { folder: previous.folder });
      return previous ? ledgersOf(previous.snapshot) : new Map();
    };
  }
  return ctx;
}

export function clientsFor(opts: Pick<RunOptions, 'config' | 'credentials'>): ClientFactory {
  return createClientFactory(opts.config.aws, ...(opts.credentials ? [opts.credentials] : []));
}

/** analyze -> render -> deliver for a freshly collected (or merged) snapshot: archive, previous review, email. */
export async function deliverSnapshot(
  snapshot: Snapshot,
  config: Config,
  clients: ClientFactory,
  now: Date,
  log: Logger,
  findPrevious: FindPrevious | undefined = previousFinder(config, clients, snapshot.runId),
  stop?: AbortSignal,
): Promise<PipelineResult> {
  const bucket = config.archive.bucket;
  const s3 = bucket ? clients.s3() : undefined;
  const previous = s3 && bucket && findPrevious ? await loadArchivedPreviousReview(s3, bucket, () => findPrevious(scopeIdOfSnapshot(snapshot), REVIEW_NAME), log) : undefined;
  const sendEmail = config.email ? emailSender(config.email, clients) : undefined;
  const exportFindings = config.securityHub?.enabled ? securityHubExporter(config, clients, scopeIdOfSnapshot(snapshot)) : undefined;
  return analyzeAndDeliver(snapshot, config, {
    now,
    log,
    ...(s3 ? { s3 } : {}),
    ...previousDeps(previous),
    ...(sendEmail ? { sendEmail } : {}),
    ...(exportFindings ? { exportFindings } : {}),
    ...(stop ? { stop } : {}),
  });
}

function previousDeps(previous: PreviousReview): { previous?: Review; previousUnavailable?: string } {
  if (previous?.review) return { previous: previous.review };
  if (previous?.unavailable) return { previousUnavailable: previous.unavailable };
  return {};
}

/** Security Hub takes findings only into the caller's own account; unless configured, ask STS which that is. */
function securityHubExporter(config: Config, clients: ClientFactory, scopeId: string): (review: Review) => Promise<SecurityHubExport> {
  const region = config.securityHub?.region ?? config.aws.region;
  return async (review) => {
    const account = config.securityHub?.account ?? (await clients.sts().send(new GetCallerIdentityCommand({}))).Account;
    if (!account) throw new Error('STS GetCallerIdentity returned no account');
    return exportToSecurityHub(clients.securityHub(region), review, scopeId, { region, account });
  };
}

/** SES through the run's AWS credentials, or the configured SMTP relay (password from the environment only). */
export function emailSender(email: EmailConfig, clients: ClientFactory, env: NodeJS.ProcessEnv = process.env): EmailSender {
  const smtp = email.smtp;
  if (email.transport === 'smtp' && smtp) {
    const password = env.ACCESS_REVIEW_SMTP_PASSWORD;
    return { via: 'SMTP', send: (raw, envelope) => sendRawSmtp({ ...smtp, ...(password ? { password } : {}) }, { from: email.from, to: [...envelope.to, ...envelope.cc] }, raw) };
  }
  const ses = clients.ses(email.region ?? clients.region);
  return { via: 'SES', send: (raw, envelope) => sendRawEmail(ses, email, raw, envelope) };
}

async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export async function loadSnapshotFile(file: string): Promise<Snapshot> {
  const value = await readJsonFile(file, 'snapshot');
  const kind = (value as { kind?: unknown })?.kind;
  if (kind !== SNAPSHOT_KIND) throw new UsageError(`${file} is not an access-review snapshot (kind is ${JSON.stringify(kind)})`);
  const errors = validateAgainst('snapshot.schema.json', value);
  if (errors.length > 0) throw new UsageError(`snapshot ${file} does not match schemas/snapshot.schema.json:\n  ${errors.slice(0, 20).join('\n  ')}`);
  // A snapshot from another collector may leave policy names out; the ARN names them.
  return withPolicyNames(value as Snapshot);
}

/** Re-analyzes and renders a stored snapshot: no AWS call is made, the archive is not touched. */
export async function analyzeSnapshotFile(opts: { snapshotFile: string; previousFile?: string; config: Config; log: Logger; now?: Date; stop?: AbortSignal }): Promise<PipelineResult> {
  const snapshot = await loadSnapshotFile(opts.snapshotFile);
  const previous = opts.previousFile ? await loadPreviousReviewFile(opts.previousFile, opts.log, (message) => new UsageError(message)) : undefined;
  // A re-run from a snapshot writes locally only: the archive holds what the original run produced.
  const config: Config = { ...opts.config, archive: { prefix: opts.config.archive.prefix } };
  return analyzeAndDeliver(snapshot, config, { now: opts.now ?? new Date(snapshot.collectedAt), log: opts.log, ...previousDeps(previous), ...(opts.stop ? { stop: opts.stop } : {}) });
}

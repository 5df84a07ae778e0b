/**
 * IAM service and action last-accessed data (Access Advisor) for chosen roles: one ACTION_LEVEL job per
 * role, all started first so IAM works on them side by side, then each polled until it completes (within
 * one bounded wait for the whole batch) and read page by page. A job that fails, times out or cannot be
 * started is kept as a gap for that role, never as a role that used nothing.
 */
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  type IAMClient,
  type ServiceLastAccessed,
} from '@aws-sdk/client-iam';
import type { CoverageItem, RoleLastAccessed, ServiceLastAccessedRecord, TrackedActionRecord } from '../model/snapshot.js';
import { mapBounded, through, type Gate } from './bounded.js';
import { describeError } from './errors.js';

export interface LastAccessedOptions {
  roleArns: readonly string[];
  /** Jobs started or polled at once in the account (IAM throttles per account). */
  concurrency: number;
  /** How long the whole batch may wait for IAM to finish its jobs. */
  maxWaitMs: number;
  /** The pause before the first polling round (every unfinished job once); it doubles up to `maxPollMs`. */
  pollMs: number;
  maxPollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds, for the wait bound only (never stored). */
  clock?: () => number;
  /** Shared with the other accounts' background calls (see Gate): each request holds a place while in flight. */
  gate?: Gate;
}

export interface LastAccessedResult {
  roles: RoleLastAccessed[];
  coverage: CoverageItem;
  apiCalls: number;
}

const PAGE = 1000;
const iso = (d: Date | undefined): string | undefined => d?.toISOString();
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** IAM names tracked actions without their service prefix; the snapshot keeps "service:Action". */
function qualified(namespace: string, action: string): string {
  return action.includes(':') ? action : `${namespace}:${action}`;
}

export function toServiceRecord(s: ServiceLastAccessed): ServiceLastAccessedRecord {
  const namespace = s.ServiceNamespace ?? '';
  const last = iso(s.LastAuthenticated);
  const record: ServiceLastAccessedRecord = { namespace };
  if (s.ServiceName) record.name = s.ServiceName;
  if (last) record.lastAuthenticated = last;
  if (s.LastAuthenticatedRegion) record.region = s.LastAuthenticatedRegion;
  if (s.LastAuthenticatedEntity) record.entity = s.LastAuthenticatedEntity;
  if (s.TrackedActionsLastAccessed) {
    record.trackedActions = s.TrackedActionsLastAccessed.map((a) => {
      const t: TrackedActionRecord = { action: qualified(namespace, a.ActionName ?? '') };
      const at = iso(a.LastAccessedTime);
      if (at) t.lastAccessed = at;
      if (a.LastAccessedRegion) t.region = a.LastAccessedRegion;
      if (a.LastAccessedEntity) t.entity = a.LastAccessedEntity;
      return t;
    });
  }
  return record;
}

export async function collectLastAccessed(iam: IAMClient, opts: LastAccessedOptions): Promise<LastAccessedResult> {
  const sleep = opts.sleep ?? defaultSleep;
  const clock = opts.clock ?? Date.now;
  let apiCalls = 0;

  const started = await mapBounded(opts.roleArns, opts.concurrency, async (roleArn): Promise<RoleLastAccessed & { pending?: true }> => {
    try {
      apiCalls += 1;
      const out = await through(opts.gate, () => iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: roleArn, Granularity: 'ACTION_LEVEL' })));
      if (!out.JobId) return { roleArn, status: 'error', granularity: 'ACTION_LEVEL', error: 'IAM returned no JobId.', services: [] };
      return { roleArn, status: 'completed', granularity: 'ACTION_LEVEL', jobId: out.JobId, services: [], pending: true };
    } catch (e) {
      const d = describeError(e, 'iam:GenerateServiceLastAccessedDetails');
      return { roleArn, status: 'error', granularity: 'ACTION_LEVEL', error: d.detail, services: [] };
    }
  });

  const deadline = clock() + opts.maxWaitMs;
  const maxPoll = opts.maxPollMs ?? Math.max(opts.pollMs, 10_000);
  const get = async (JobId: string, Marker?: string): Promise<GetServiceLastAccessedDetailsCommandOutput> => {
    apiCalls += 1;
    return through(opts.gate, () => iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, MaxItems: PAGE, ...(Marker ? { Marker } : {}) })));
  };

  // Poll in rounds: every unfinished job once, then one pause for all of them, so waiting costs the batch a
  // few pauses rather than a pause per job.
  const roles: RoleLastAccessed[] = started.map(({ pending: _pending, ...job }) => job);
  let waiting = started.flatMap((job, index) => (job.pending && job.jobId ? [{ index, jobId: job.jobId }] : []));
  let pause = opts.pollMs;
  // IAM takes seconds to produce a report: polling straight after starting the jobs costs a round of calls
  // (each a signed request's CPU for the collector) that can only answer IN_PROGRESS.
  if (waiting.length > 0 && clock() + pause <= deadline) {
    await sleep(pause);
    pause = Math.min(Math.max(pause * 2, 100), maxPoll);
  }
  while (waiting.length > 0) {
    const outcomes = await mapBounded(waiting, opts.concurrency, async ({ index, jobId }) => {
      const job = roles[index] as RoleLastAccessed;
      try {
        const page = await get(jobId);
        if (page.JobStatus === 'IN_PROGRESS') return { index, jobId, page };
        roles[index] = await finish(job, jobId, page);
      } catch (e) {
        const d = describeError(e, 'iam:GetServiceLastAccessedDetails');
        roles[index] = { ...job, status: 'error', error: d.detail };
      }
      return undefined;
    });
    const still = outcomes.filter((o): o is NonNullable<typeof o> => o !== undefined);
    if (still.length === 0) break;
    if (clock() + pause > deadline) {
      for (const { index, page } of still) {
        roles[index] = { ...(roles[index] as RoleLastAccessed), status: 'timed-out', error: `IAM had not finished the report after ${Math.round(opts.maxWaitMs / 1000)} s.`, ...dates(page) };
      }
      break;
    }
    await sleep(pause);
    pause = Math.min(Math.max(pause * 2, 100), maxPoll);
    waiting = still.map(({ index, jobId }) => ({ index, jobId }));
  }

  async function finish(job: RoleLastAccessed, jobId: string, first: GetServiceLastAccessedDetailsCommandOutput): Promise<RoleLastAccessed> {
    if (first.JobStatus !== 'COMPLETED') {
      const why = first.Error ? `${first.Error.Code ?? 'Error'}: ${first.Error.Message ?? ''}`.trim() : `job status ${first.JobStatus ?? 'missing'}`;
      return { ...job, status: 'failed', error: `IAM could not produce the report (${why}).`, ...dates(first) };
    }
    const services = (first.ServicesLastAccessed ?? []).map(toServiceRecord);
    let page = first;
    while (page.IsTruncated && page.Marker) {
      page = await get(jobId, page.Marker);
      services.push(...(page.ServicesLastAccessed ?? []).map(toServiceRecord));
    }
    return { ...job, status: 'completed', ...(first.JobType === 'SERVICE_LEVEL' ? { granularity: 'SERVICE_LEVEL' as const } : {}), ...dates(first), services };
  }

  return { roles, coverage: coverageOf(roles, apiCalls), apiCalls };
}

function dates(page: GetServiceLastAccessedDetailsCommandOutput): Pick<RoleLastAccessed, 'jobCreatedAt' | 'jobCompletedAt'> {
  const created = iso(page.JobCreationDate);
  const completed = iso(page.JobCompletionDate);
  return { ...(created ? { jobCreatedAt: created } : {}), ...(completed ? { jobCompletedAt: completed } : {}) };
}

function coverageOf(roles: readonly RoleLastAccessed[], apiCalls: number): CoverageItem {
  const done = roles.filter((r) => r.status === 'completed').length;
  const missing = roles.filter((r) => r.status !== 'completed');
  const base = `Service last-accessed data for ${done} of ${roles.length} role(s).`;
  if (missing.length === 0) return { source: 'iam-last-accessed', status: 'ok', detail: base, apiCalls };
  const counts = (['failed', 'timed-out', 'error'] as const)
    .map((s) => [s, missing.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const example = missing[0];
  const errorCode = missing.find((r) => r.status === 'error')?.error?.match(/\(([A-Za-z]+)\)/)?.[1];
  return {
    source: 'iam-last-accessed',
    status: done === 0 ? 'failed' : 'partial',
    detail: `${base} Missing for ${missing.length} (${counts}); their granted-vs-used comparison and policy drafts are not in this review. First: ${example?.roleArn ?? ''}: ${example?.error ?? ''}`,
    ...(errorCode ? { errorCode } : {}),
    apiCalls,
  };
}

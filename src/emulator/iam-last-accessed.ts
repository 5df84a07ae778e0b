/**
 * IAM's Access Advisor over awsQuery: GenerateServiceLastAccessedDetails starts a job for a role and
 * GetServiceLastAccessedDetails reports it, IN_PROGRESS until it has been polled enough (a count, not a
 * clock, so tests never wait on time), then COMPLETED with the role's ServicesLastAccessed in pages, or
 * FAILED with an Error when the faults say so.
 */
import { ServiceError, type ApiRequest, type HttpResponse } from './http-types.js';
import type { ServiceAccessTruth, SyntheticAccount, SyntheticRole } from './org-types.js';
import { decodeMarker, encodeMarker } from './query-params.js';
import { hash32, Rng } from './prng.js';
import type { EmulatorState } from './state.js';
import { TokenBuckets } from './rate-limit.js';
import { queryResponse } from './wire.js';
import { el, members, text } from './xml.js';

interface Job {
  id: string;
  accountId: string;
  role: SyntheticRole;
  granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL';
  created: Date;
  polls: number;
  completed?: Date;
  failed: boolean;
}

const jobsByState = new WeakMap<EmulatorState, Map<string, Job>>();
const limitsByState = new WeakMap<EmulatorState, TokenBuckets>();

/** IAM throttles per account; the rate comes from the faults, so a benchmark can set it while running. */
function throttle(state: EmulatorState, accountId: string): void {
  const rate = state.faults.lastAccessedJobs.requestsPerSecond;
  if (rate === undefined) return;
  let buckets = limitsByState.get(state);
  if (!buckets || buckets.rate !== rate) limitsByState.set(state, (buckets = new TokenBuckets(rate)));
  if (!buckets.take(accountId)) throw new ServiceError('Throttling', 'Rate exceeded', 400);
}

function jobs(state: EmulatorState): Map<string, Job> {
  let map = jobsByState.get(state);
  if (!map) jobsByState.set(state, (map = new Map()));
  return map;
}

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidInput', message, 400);
}

export function generateServiceLastAccessedDetails(req: ApiRequest, params: URLSearchParams, account: SyntheticAccount, state: EmulatorState, ns: string): HttpResponse {
  throttle(state, account.id);
  const arn = params.get('Arn');
  if (!arn) throw new ServiceError('ValidationError', "1 validation error detected: Value null at 'arn' failed to satisfy constraint: Member must not be null", 400);
  const granularity = params.get('Granularity') ?? 'SERVICE_LEVEL';
  if (granularity !== 'SERVICE_LEVEL' && granularity !== 'ACTION_LEVEL') {
    throw new ServiceError('ValidationError', `1 validation error detected: Value '${granularity}' at 'granularity' failed to satisfy constraint: Member must satisfy enum value set: [SERVICE_LEVEL, ACTION_LEVEL]`, 400);
  }
  const role = account.roles.find((r) => r.arn === arn);
  if (!role) {
    if (!/^arn:aws[\w-]*:iam::\d{12}:/.test(arn)) throw invalid(`ARN ${arn} is not valid.`);
    throw new ServiceError('NoSuchEntity', `The entity with ARN ${arn} cannot be found.`, 404);
  }
  const table = jobs(state);
  const id = new Rng(hash32(`${state.org.seed}:job:${account.id}:${table.size}`)).uuid();
  const fail = state.faults.lastAccessedJobs.fail ?? [];
  table.set(id, { id, accountId: account.id, role, granularity, created: state.clock(), polls: 0, failed: fail.includes(role.arn) || fail.includes(role.name) });
  return queryResponse('GenerateServiceLastAccessedDetails', ns, text('JobId', id), req.requestId);
}

function serviceXml(s: ServiceAccessTruth, role: SyntheticRole, actionLevel: boolean): string {
  const used = s.lastAuthenticated !== undefined;
  const tracked =
    actionLevel && s.trackedActions
      ? members(
          'TrackedActionsLastAccessed',
          s.trackedActions.map(
            (a) =>
              text('ActionName', a.action) +
              (a.lastAccessed ? text('LastAccessedEntity', role.arn) + text('LastAccessedTime', a.lastAccessed) + text('LastAccessedRegion', a.region) : ''),
          ),
        )
      : '';
  return (
    text('ServiceName', s.name) +
    text('ServiceNamespace', s.namespace) +
    (used ? text('LastAuthenticated', s.lastAuthenticated) + text('LastAuthenticatedEntity', role.arn) + text('LastAuthenticatedRegion', s.lastAuthenticatedRegion) : '') +
    text('TotalAuthenticatedEntities', used ? 1 : 0) +
    tracked
  );
}

export function getServiceLastAccessedDetails(req: ApiRequest, params: URLSearchParams, account: SyntheticAccount, state: EmulatorState, ns: string): HttpResponse {
  throttle(state, account.id);
  const id = params.get('JobId');
  if (!id) throw new ServiceError('ValidationError', "1 validation error detected: Value null at 'jobId' failed to satisfy constraint: Member must not be null", 400);
  const job = jobs(state).get(id);
  if (!job || job.accountId !== account.id) throw new ServiceError('NoSuchEntity', `No report found for JobId ${id}.`, 404);
  const maxRaw = params.get('MaxItems');
  const max = maxRaw === null ? 100 : Number(maxRaw);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new ServiceError('ValidationError', `1 validation error detected: Value '${maxRaw ?? ''}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`, 400);
  }
  const until = state.faults.lastAccessedJobs.pollsUntilDone ?? 1;
  if (!job.completed && job.polls >= until) job.completed = state.clock();
  job.polls += 1;
  const common = text('JobType', job.granularity) + text('JobCreationDate', job.created.toISOString());
  if (!job.completed) {
    return queryResponse('GetServiceLastAccessedDetails', ns, text('JobStatus', 'IN_PROGRESS') + common + members('ServicesLastAccessed', []) + text('IsTruncated', false), req.requestId);
  }
  if (job.failed) {
    return queryResponse(
      'GetServiceLastAccessedDetails',
      ns,
      text('JobStatus', 'FAILED') + common + text('JobCompletionDate', job.completed.toISOString()) + members('ServicesLastAccessed', []) + text('IsTruncated', false) +
        el('Error', text('Message', 'The report could not be generated; try again later.'), text('Code', 'ServiceFailure')),
      req.requestId,
    );
  }
  const marker = params.get('Marker');
  const start = marker === null ? 0 : decodeMarker(marker, id);
  if (start === undefined) throw invalid('Invalid Marker.');
  const all = job.role.serviceAccess ?? [];
  const page = all.slice(start, start + max);
  const next = start + page.length;
  const truncated = next < all.length;
  return queryResponse(
    'GetServiceLastAccessedDetails',
    ns,
    text('JobStatus', 'COMPLETED') +
      common +
      text('JobCompletionDate', job.completed.toISOString()) +
      members('ServicesLastAccessed', page.map((s) => serviceXml(s, job.role, job.granularity === 'ACTION_LEVEL'))) +
      text('IsTruncated', truncated) +
      (truncated ? text('Marker', encodeMarker(next, id)) : ''),
    req.requestId,
  );
}

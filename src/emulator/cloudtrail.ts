/**
 * CloudTrail over awsJson1_1: LookupEvents on the account's event history in the request's region —
 * one lookup attribute, a time range, at most 50 events a page, newest first. The per account-and-region
 * rate limit is applied by the router before this runs.
 */
import { ServiceError, header, type ApiRequest, type HttpResponse } from './http-types.js';
import { num, obj, parseJsonBody, str } from './json-body.js';
import type { SyntheticEvent } from './org-types.js';
import { eventRun, timeSlice } from './event-index.js';
import { decodeMarker, encodeMarker } from './query-params.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { jsonError, jsonResponse } from './wire.js';

// Current SDKs send "CloudTrail_20131101.LookupEvents"; older ones the fully qualified
// "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents". Both reach the service.
const TARGET = /^(?:com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.(\w+)$/;
const KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
type Key = (typeof KEYS)[number];

function matcher(key: Key, value: string): (e: SyntheticEvent) => boolean {
  switch (key) {
    case 'EventId':
      return (e) => e.eventId === value;
    case 'EventName':
      return (e) => e.eventName === value;
    case 'ReadOnly':
      return (e) => e.readOnly === value;
    case 'Username':
      return (e) => e.username === value;
    case 'ResourceType':
      return (e) => e.resources.some((r) => r.ResourceType === value);
    case 'ResourceName':
      return (e) => e.resources.some((r) => r.ResourceName === value);
    case 'EventSource':
      return (e) => e.eventSource === value;
    case 'AccessKeyId':
      return (e) => e.accessKeyId === value;
  }
}

function eventJson(e: SyntheticEvent): Record<string, unknown> {
  return {
    EventId: e.eventId,
    EventName: e.eventName,
    ReadOnly: e.readOnly,
    ...(e.accessKeyId !== undefined ? { AccessKeyId: e.accessKeyId } : {}),
    EventTime: Date.parse(e.eventTime) / 1000,
    EventSource: e.eventSource,
    ...(e.username !== undefined ? { Username: e.username } : {}),
    Resources: e.resources,
    CloudTrailEvent: e.cloudTrailEvent,
  };
}

function lookupEvents(req: ApiRequest, state: EmulatorState): HttpResponse {
  const body = parseJsonBody(req.body);
  const attrs = Array.isArray(body['LookupAttributes']) ? (body['LookupAttributes'] as unknown[]) : [];
  if (attrs.length > 1) {
    throw new ServiceError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.', 400);
  }
  let filter: (e: SyntheticEvent) => boolean = () => true;
  let filterKey = '';
  const first = obj(attrs[0]);
  if (first) {
    const key = str(first, 'AttributeKey');
    const value = str(first, 'AttributeValue');
    if (!key || !(KEYS as readonly string[]).includes(key)) {
      throw new ServiceError('InvalidLookupAttributesException', `The attribute key ${key ?? 'null'} is not valid.`, 400);
    }
    if (value === undefined || value.length === 0) {
      throw new ServiceError('InvalidLookupAttributesException', 'The attribute value must not be empty.', 400);
    }
    filter = matcher(key as Key, value);
    filterKey = `${key}=${value}`;
  }
  const max = num(body, 'MaxResults') ?? 50;
  if (!Number.isInteger(max) || max < 1 || max > 50) {
    throw new ServiceError('InvalidMaxResultsException', 'MaxResults must be a number between 1 and 50.', 400);
  }
  const start = num(body, 'StartTime');
  const end = num(body, 'EndTime');
  if (start !== undefined && end !== undefined && start > end) {
    throw new ServiceError('InvalidTimeRangeException', 'Start time must be earlier than end time.', 400);
  }
  const category = str(body, 'EventCategory');
  if (category !== undefined && category !== 'insight') {
    throw new ServiceError('InvalidEventCategoryException', `${category} is not a valid event category.`, 400);
  }
  const context = `${req.principal.accountId}|${req.region}|${filterKey}|${start ?? ''}|${end ?? ''}|${category ?? ''}`;
  const token = str(body, 'NextToken');
  const offset = token === undefined ? 0 : decodeMarker(token, context);
  if (offset === undefined) throw new ServiceError('InvalidNextTokenException', 'Invalid NextToken.', 400);

  const account = category === 'insight' ? undefined : state.accounts.get(req.principal.accountId);
  const startMs = start === undefined ? -Infinity : start * 1000;
  const endMs = end === undefined ? Infinity : end * 1000;
  let page: SyntheticEvent[] = [];
  let total = 0;
  if (account) {
    // EventName (what the collector asks for) is indexed; other attributes filter the region's time slice.
    const byName = filterKey.startsWith('EventName=');
    const r = eventRun(account, req.region, byName ? filterKey.slice('EventName='.length) : undefined);
    const { from, to } = timeSlice(r, startMs, endMs);
    if (byName || !first) {
      total = to - from;
      page = r.events.slice(from + offset, Math.min(to, from + offset + max));
    } else {
      const matched = r.events.slice(from, to).filter(filter);
      total = matched.length;
      page = matched.slice(offset, offset + max);
    }
  }
  const next = offset + page.length;
  return jsonResponse({ Events: page.map(eventJson), ...(next < total ? { NextToken: encodeMarker(next, context) } : {}) }, req.requestId);
}

export const cloudTrailService: ServiceModule = {
  name: 'cloudtrail',
  operation(raw: RawRequest): string {
    return TARGET.exec(header(raw.headers, 'x-amz-target') ?? '')?.[1] ?? 'Unknown';
  },
  handle(req, state) {
    if (req.operation === 'LookupEvents') return lookupEvents(req, state);
    throw new ServiceError('UnknownOperationException', `Operation ${req.operation} is not supported by this emulator.`, 400);
  },
  renderError: (err, _raw, requestId) => jsonError(err, requestId, { messageKey: 'Message', queryCompatible: true }),
};

import type { AssumeAggregate } from '../model/snapshot.js';

/** The fields of an AssumeRole* CloudTrail record the review needs; everything else stays in CloudTrail. */
export interface AssumeEvent {
  eventId: string;
  eventName: string;
  eventTime: string;
  region: string;
  roleArn: string;
  callerAccountId?: string;
  callerArn?: string;
  callerType?: string;
  mfa: boolean;
  externalId: boolean;
}

type Json = Record<string, unknown>;

/** CloudTrail's own form (2026-11-01T10:05:23Z) gains its milliseconds without a Date round trip. */
const PLAIN_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** An event time in the one form toISOString gives (instants are compared as strings), or undefined. */
export function isoTime(t: string): string | undefined {
  if (PLAIN_TIME.test(t)) return `${t.slice(0, 19)}.000Z`;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Reads one CloudTrailEvent JSON string. Returns undefined for records that are not a successful role
 * assumption (failed calls have errorCode and granted nothing) or that name no role.
 */
export function parseAssumeEvent(cloudTrailEvent: string | undefined): AssumeEvent | undefined {
  if (!cloudTrailEvent) return undefined;
  let rec: unknown;
  try {
    rec = JSON.parse(cloudTrailEvent);
  } catch {
    return undefined;
  }
  return assumeEventOfRecord(rec);
}

/** The same, from a record already parsed (a trail log file's Records[] entry). */
export function assumeEventOfRecord(record: unknown): AssumeEvent | undefined {
  const rec = obj(record);
  if (!rec || str(rec.errorCode)) return undefined;
  const params = obj(rec.requestParameters);
  const resources = Array.isArray(rec.resources) ? rec.resources.map(obj) : [];
  const roleArn =
    str(params?.roleArn) ?? str(resources.find((r) => str(r?.type) === 'AWS::IAM::Role')?.ARN);
  const eventName = str(rec.eventName);
  const rawTime = str(rec.eventTime);
  const eventTime = rawTime === undefined ? undefined : isoTime(rawTime);
  if (!roleArn || !eventName || !eventTime) return undefined;
  const identity = obj(rec.userIdentity);
  const attributes = obj(obj(identity?.sessionContext)?.attributes);
  const callerAccountId = str(identity?.accountId);
  // A SAML record's identityProvider is an opaque hash; requestParameters.principalArn names the provider,
  // which is what lets the analysis match the call to one SAML trust grant.
  const callerArn =
    (eventName === 'AssumeRoleWithSAML' ? str(params?.principalArn) : undefined) ??
    str(identity?.arn) ??
    str(identity?.identityProvider) ??
    str(identity?.invokedBy);
  const callerType = str(identity?.type);
  return {
    eventId: str(rec.eventID) ?? '',
    eventName,
    eventTime,
    region: str(rec.awsRegion) ?? '',
    roleArn,
    ...(callerAccountId ? { callerAccountId } : {}),
    ...(callerArn ? { callerArn } : {}),
    ...(callerType ? { callerType } : {}),
    mfa: str(attributes?.mfaAuthenticated) === 'true',
    externalId: str(params?.externalId) !== undefined,
  };
}

/** The account id inside an IAM role ARN (arn:aws:iam::123456789012:role/x). */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
}

/**
 * Aggregates per role, event name and caller. Only the account's own roles are kept: a cross-account
 * AssumeRole is recorded in both accounts, and counting the caller's copy too would double the owner's
 * numbers when both accounts are in scope.
 */
export function aggregateAssumeEvents(events: Iterable<AssumeEvent>, accountId: string): AssumeAggregate[] {
  const seen = new Set<string>();
  const groups = new Map<string, AssumeAggregate>();
  for (const e of events) {
    if (accountOfArn(e.roleArn) !== accountId) continue;
    if (e.eventId) {
      if (seen.has(e.eventId)) continue;
      seen.add(e.eventId);
    }
    addToAggregates(groups, e);
  }
  return sortedAggregates(groups);
}

/** Counts one event into its group (per role, event name and caller), creating the group on first sight. */
export function addToAggregates(groups: Map<string, AssumeAggregate>, e: AssumeEvent): void {
  const key = aggregateKey(e);
  let g = groups.get(key);
  if (!g) {
    g = {
      roleArn: e.roleArn,
      eventName: e.eventName,
      ...(e.callerAccountId ? { callerAccountId: e.callerAccountId } : {}),
      ...(e.callerArn ? { callerArn: e.callerArn } : {}),
      ...(e.callerType ? { callerType: e.callerType } : {}),
      count: 0,
      mfaCount: 0,
      withExternalIdCount: 0,
      firstSeen: e.eventTime,
      lastSeen: e.eventTime,
      regions: [],
    };
    groups.set(key, g);
  }
  g.count += 1;
  if (e.mfa) g.mfaCount += 1;
  if (e.externalId) g.withExternalIdCount += 1;
  if (e.eventTime < g.firstSeen) g.firstSeen = e.eventTime;
  if (e.eventTime > g.lastSeen) g.lastSeen = e.eventTime;
  if (e.region && !g.regions.includes(e.region)) g.regions.push(e.region);
}

/** The groups in the one snapshot order, regions sorted. */
export function sortedAggregates(groups: Map<string, AssumeAggregate>): AssumeAggregate[] {
  const out = [...groups.values()];
  for (const g of out) g.regions.sort();
  return out.sort(compareAggregates);
}

/** Aggregates are per role, event name and caller. */
export function aggregateKey(x: { roleArn: string; eventName: string; callerAccountId?: string; callerArn?: string }): string {
  return [x.roleArn, x.eventName, x.callerAccountId ?? '', x.callerArn ?? ''].join('\u0000');
}

/** What names an aggregate (and orders it): role, event name and caller. */
export type AggregateIdentity = Pick<AssumeAggregate, 'roleArn' | 'eventName' | 'callerAccountId' | 'callerArn'>;

/** The one order aggregates are kept in, so snapshots of the same usage are identical. */
export function compareAggregates(a: AggregateIdentity, b: AggregateIdentity): number {
  return (
    a.roleArn.localeCompare(b.roleArn) ||
    a.eventName.localeCompare(b.eventName) ||
    (a.callerAccountId ?? '').localeCompare(b.callerAccountId ?? '') ||
    (a.callerArn ?? '').localeCompare(b.callerArn ?? '')
  );
}

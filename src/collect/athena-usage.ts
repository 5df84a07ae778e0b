/**
 * Usage from the organization trail through Amazon Athena: the aggregation the direct reader does file by
 * file (organization-trail.ts), done by Athena over a CloudTrail table with partition projection on
 * account, region and day, so nothing but the result rows crosses the network. One query serves every
 * account and region that needs the same time ranges (one query a run, unless a previous run left some
 * regions behind); its rows are per account, region, UTC day, role, event name and caller, and go into the
 * same per-day accumulator as events read one by one, so usage, ledger and coverage status come out the same.
 *
 * The SQL is Athena's (Trino's): every function used is one Athena documents.
 */
import { createHash } from 'node:crypto';
import { GetTableMetadataCommand, GetWorkGroupCommand, type AthenaClient } from '@aws-sdk/client-athena';
import type { AthenaSettings } from '../config/config.js';
import type { AssumeAggregate, CoverageItem, TimeWindow } from '../model/snapshot.js';
import { runAthenaQuery, sqlIdent, sqlString, type QueryOptions, type QueryOutcome } from './athena-query.js';
import { mapBounded } from './bounded.js';
import type { CloudTrailScan } from './cloudtrail.js';
import type { AthenaQueryProgress } from './index.js';
import { describeError, failureFields } from './errors.js';
import { athenaResultRegionHint } from './region-hints.js';
import { bucketOf, resultLocation } from './athena-output.js';
import { trailDays, type TrailLocation } from './organization-trail.js';
import { SETTLE_MS, type ReadRange, type ScanPlan, type UsageAccumulator } from './usage-ledger.js';
import { formatByteCount } from '../model/byte-count.js';

/** Queries run at once (Athena's default quota is 20-25 active DML queries per account). */
const QUERY_CONCURRENCY = 4;
const DAY_MS = 86_400_000;

/**
 * The name of the table "create" makes: a hash of everything its DDL says but its own name (location,
 * layout, organization id, prefix, columns, projection), because CREATE ... IF NOT EXISTS keeps a table that
 * is already there: a changed config or a changed DDL must get a new table, never reuse a stale one.
 */
export function createdTableName(loc: TrailLocation): string {
  const h = createHash('sha256').update(cloudTrailTableDdl('database', 'table', loc)).digest('hex').slice(0, 10);
  return `access_review_cloudtrail_${h}`;
}

/** s3://bucket/[prefix/]AWSLogs/[org-id/]: where the trail's per-account folders start. */
function logsRoot(loc: TrailLocation): string {
  const base = loc.prefix ? `${loc.prefix.replace(/\/+$/, '')}/` : '';
  return `s3://${loc.bucket}/${base}AWSLogs/${loc.organizationId ? `${loc.organizationId}/` : ''}`;
}

/**
 * AWS's CloudTrail table with partition projection ("Create the table for CloudTrail logs in Athena using
 * partition projection"), for an organization trail: account and region are injected (the query names
 * them, so no list of accounts has to be kept in the table), the day is a projected date. useridentity
 * also has identityprovider, where web identity and SAML records name their provider.
 */
export function cloudTrailTableDdl(database: string, table: string, loc: TrailLocation): string {
  const root = logsRoot(loc);
  const template = `${root}\${account}/CloudTrail/\${region}/\${timestamp}`;
  return `CREATE EXTERNAL TABLE IF NOT EXISTS \`${database}\`.\`${table}\` (
  eventversion STRING,
  useridentity STRUCT<
    type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING,
    username: STRING, identityprovider: STRING,
    onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      ec2roledelivery: STRING,
      webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  vpcendpointaccountid STRING,
  eventcategory STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>)
COMMENT 'CloudTrail log files of ${root}, created by access-review'
PARTITIONED BY (account STRING, region STRING, \`timestamp\` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${root}'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.account.type'='injected',
  'projection.region.type'='injected',
  'projection.timestamp.type'='date',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'='2013/11/01,NOW',
  'storage.location.template'='${template}')`;
}

/** One query's share of the work: accounts that all read the same regions over the same ranges. */
export interface UsageQueryGroup {
  accounts: string[];
  regions: string[];
  ranges: readonly ReadRange[];
}

/** Groups (account, region, plan) so that each group is one query; usually all of them are one. */
export function groupTargets(targets: readonly { accountId: string; region: string; plan: ScanPlan }[]): UsageQueryGroup[] {
  const byRanges = new Map<string, { ranges: readonly ReadRange[]; regionsOf: Map<string, string[]> }>();
  for (const t of targets) {
    const key = JSON.stringify(t.plan.reads);
    let g = byRanges.get(key);
    if (!g) byRanges.set(key, (g = { ranges: t.plan.reads, regionsOf: new Map() }));
    g.regionsOf.set(t.accountId, [...(g.regionsOf.get(t.accountId) ?? []), t.region]);
  }
  const groups: UsageQueryGroup[] = [];
  for (const g of byRanges.values()) {
    const byRegionSet = new Map<string, UsageQueryGroup>();
    for (const [account, regions] of g.regionsOf) {
      const sorted = [...regions].sort();
      const key = sorted.join(',');
      const q = byRegionSet.get(key);
      if (q) q.accounts.push(account);
      else byRegionSet.set(key, { accounts: [account], regions: sorted, ranges: g.ranges });
    }
    groups.push(...byRegionSet.values());
  }
  return groups;
}

const slashDay = (day: string): string => day.replace(/-/g, '/');

/**
 * The day partitions to read for the ranges (with the next day's folder, where late deliveries land), as
 * BETWEEN conditions on the projected day, so Athena lists and reads only those folders.
 */
export function dayPredicate(ranges: readonly ReadRange[]): string {
  const days = [...trailDays(ranges).keys()];
  const runs: { first: string; last: string }[] = [];
  for (const day of days) {
    const prev = runs[runs.length - 1];
    if (prev && Date.parse(`${day}T00:00:00Z`) - Date.parse(`${prev.last}T00:00:00Z`) === DAY_MS) prev.last = day;
    else runs.push({ first: day, last: day });
  }
  return `(${runs.map((r) => `"timestamp" BETWEEN ${sqlString(slashDay(r.first))} AND ${sqlString(slashDay(r.last))}`).join(' OR ')})`;
}

function timePredicate(ranges: readonly ReadRange[]): string {
  const ts = (iso: string): string => `from_iso8601_timestamp(${sqlString(iso)})`;
  return `(${ranges.map((r) => `(t >= ${ts(r.start)} AND t ${r.endExclusive ? '<' : '<='} ${ts(r.end)})`).join(' OR ')})`;
}

/** Result columns, in order. */
export const USAGE_COLUMNS = [
  'acct',
  'folder',
  'kind',
  'aws_region',
  'day',
  'settled',
  'role_arn',
  'event_name',
  'caller_account',
  'caller_arn',
  'caller_type',
  'events',
  'mfa',
  'external_id',
  'first_seen',
  'last_seen',
] as const;

/**
 * The usage query. Every record of the partitions read is looked at once: those of the event names asked
 * for, in the ranges, are counted as read ("event"), and the successful role assumptions among them are
 * grouped per UTC day, role, event name and caller ("assumption"), split at the instant the ledger ends;
 * all other records only show that the trail delivers the account and region ("other").
 *
 * Days are UTC days whatever offset a record's eventtime carries, as the ledger's are.
 *
 * A record is a role assumption exactly as for the direct reader (assume-events.ts): no errorCode, a role
 * ARN in requestParameters.roleArn or else in resources; the caller is the SAML provider's principalArn,
 * else userIdentity.arn, identityProvider or invokedBy.
 */
export function usageQuery(opts: {
  table: string;
  group: UsageQueryGroup;
  eventNames: readonly string[];
  /** Where the accumulator's ledger days end: max(window start, window end - settle time). */
  settledBefore: string;
  /** False for a table whose useridentity has no identityprovider field (AWS's DDL leaves it out). */
  identityProvider: boolean;
}): string {
  const { group } = opts;
  const list = (xs: readonly string[]): string => xs.map(sqlString).join(', ');
  const roleFromResources = `element_at(filter(resources, r -> r.type = 'AWS::IAM::Role'), 1).arn`;
  return `WITH e AS (
  SELECT account AS acct, region AS folder, eventname AS event_name, awsregion AS aws_region,
    try(from_iso8601_timestamp(eventtime)) AS t,
    (errorcode IS NULL OR errorcode = '') AS succeeded,
    coalesce(nullif(json_extract_scalar(requestparameters, '$.roleArn'), ''), nullif(${roleFromResources}, '')) AS role_arn,
    nullif(useridentity.accountid, '') AS caller_account,
    coalesce(
      CASE WHEN eventname = 'AssumeRoleWithSAML' THEN nullif(json_extract_scalar(requestparameters, '$.principalArn'), '') END,
      nullif(useridentity.arn, ''),
      ${opts.identityProvider ? "nullif(useridentity.identityprovider, '')," : ''}
      nullif(useridentity.invokedby, '')) AS caller_arn,
    nullif(useridentity.type, '') AS caller_type,
    coalesce(useridentity.sessioncontext.attributes.mfaauthenticated = 'true', false) AS mfa,
    nullif(json_extract_scalar(requestparameters, '$.externalId'), '') IS NOT NULL AS external_id
  FROM ${opts.table}
  WHERE account IN (${list(group.accounts)}) AND region IN (${list(group.regions)}) AND ${dayPredicate(group.ranges)}
), k AS (
  SELECT *,
    CASE
      WHEN event_name IN (${list(opts.eventNames)}) AND t IS NOT NULL AND ${timePredicate(group.ranges)}
        THEN CASE WHEN succeeded AND role_arn IS NOT NULL THEN 'assumption' ELSE 'event' END
      ELSE 'other'
    END AS kind
  FROM e
)
SELECT acct, folder, kind,
  CASE WHEN kind = 'assumption' THEN coalesce(aws_region, '') END AS aws_region,
  CASE WHEN kind = 'assumption' THEN substr(to_iso8601(t AT TIME ZONE 'UTC'), 1, 10) END AS day,
  CASE WHEN kind = 'assumption' THEN t < from_iso8601_timestamp(${sqlString(opts.settledBefore)}) END AS settled,
  CASE WHEN kind = 'assumption' THEN role_arn END AS role_arn,
  CASE WHEN kind = 'assumption' THEN event_name END AS event_name,
  CASE WHEN kind = 'assumption' THEN caller_account END AS caller_account,
  CASE WHEN kind = 'assumption' THEN caller_arn END AS caller_arn,
  max(CASE WHEN kind = 'assumption' THEN caller_type END) AS caller_type,
  count(*) AS events,
  sum(CASE WHEN kind = 'assumption' AND mfa THEN 1 ELSE 0 END) AS mfa,
  sum(CASE WHEN kind = 'assumption' AND external_id THEN 1 ELSE 0 END) AS external_id,
  to_iso8601(min(t)) AS first_seen,
  to_iso8601(max(t)) AS last_seen
FROM k
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`;
}

/** What the query found for one account and region. */
export interface PairUsage {
  eventsRead: number;
  assumptions: number;
  /** Any record at all in the partitions read: the trail delivers this account and region. */
  records: number;
  groups: UsageGroups;
}

const pairKey = (account: string, region: string): string => `${account}|${region}`;

/** Fields of one group in UsageGroups.values, in order; absent strings are -1. */
const ROLE = 0;
const EVENT = 1;
const CALLER_ACCOUNT = 2;
const CALLER_ARN = 3;
const CALLER_TYPE = 4;
const REGION = 5;
const COUNT = 6;
const MFA = 7;
const EXTERNAL_ID = 8;
const FIRST_MS = 9;
const LAST_MS = 10;
const STRIDE = 11;

/**
 * One account and region's assumption groups, as numbers: strings are indices into the query's string
 * table (the same role, caller and event name recur on many rows) and times are epoch milliseconds. A group
 * costs 11 doubles instead of an object with its own strings, so what the route holds between its query and
 * the accounts' collection follows the ledger rows, at a fraction of their objects' size.
 */
export class UsageGroups {
  private readonly values: number[] = [];

  constructor(private readonly strings: readonly string[]) {}

  /** Appends one group (its fields as UsageGroups lays them out). */
  push(fields: readonly number[]): void {
    for (const f of fields) this.values.push(f);
  }

  /** Each group as the accumulator takes it, made when asked for and dropped after. */
  *[Symbol.iterator](): IterableIterator<AssumeAggregate> {
    const v = this.values;
    const str = (i: number): string | undefined => (i < 0 ? undefined : this.strings[i]);
    for (let o = 0; o < v.length; o += STRIDE) {
      const callerAccountId = str(v[o + CALLER_ACCOUNT] as number);
      const callerArn = str(v[o + CALLER_ARN] as number);
      const callerType = str(v[o + CALLER_TYPE] as number);
      const region = str(v[o + REGION] as number);
      yield {
        roleArn: str(v[o + ROLE] as number) as string,
        eventName: str(v[o + EVENT] as number) as string,
        ...(callerAccountId ? { callerAccountId } : {}),
        ...(callerArn ? { callerArn } : {}),
        ...(callerType ? { callerType } : {}),
        count: v[o + COUNT] as number,
        mfaCount: v[o + MFA] as number,
        withExternalIdCount: v[o + EXTERNAL_ID] as number,
        firstSeen: new Date(v[o + FIRST_MS] as number).toISOString(),
        lastSeen: new Date(v[o + LAST_MS] as number).toISOString(),
        regions: region ? [region] : [],
      };
    }
  }
}

/** Epoch milliseconds of a result's timestamp; throws as new Date(...).toISOString() does on one it cannot read. */
function timeMs(s: string): number {
  const ms = new Date(s).getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid time value');
  return ms;
}

/**
 * Reads the usage query's result page by page into per account and region usage, keeping no row; throws
 * on a row that is not what the query returns. What it read is only a scratch result until the caller has
 * every page: a query whose later page is unreadable must leave no partial counts behind.
 */
export class UsageRowReader {
  readonly pairs = new Map<string, PairUsage>();
  private readonly at: Record<(typeof USAGE_COLUMNS)[number], number>;
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();

  constructor(columns: readonly string[]) {
    const at = new Map(columns.map((c, i) => [c, i]));
    for (const c of USAGE_COLUMNS) if (!at.has(c)) throw new Error(`the query result has no column ${c}`);
    this.at = Object.fromEntries(USAGE_COLUMNS.map((c) => [c, at.get(c) as number])) as Record<(typeof USAGE_COLUMNS)[number], number>;
  }

  private id(s: string | undefined): number {
    if (s === undefined) return -1;
    let i = this.stringIds.get(s);
    if (i === undefined) {
      i = this.strings.push(s) - 1;
      this.stringIds.set(s, i);
    }
    return i;
  }

  add(rows: readonly (string | undefined)[][]): void {
    for (const row of rows) this.addRow(row);
  }

  private addRow(row: readonly (string | undefined)[]): void {
    const v = (c: (typeof USAGE_COLUMNS)[number]): string | undefined => {
      const x = row[this.at[c]];
      return x === undefined || x === '' ? undefined : x;
    };
    const n = (c: (typeof USAGE_COLUMNS)[number]): number => {
      const x = Number(v(c) ?? '0');
      if (!Number.isFinite(x)) throw new Error(`column ${c} is not a number: ${String(v(c))}`);
      return x;
    };
    const acct = v('acct');
    const folder = v('folder');
    if (!acct || !folder) throw new Error('a result row names no account or region');
    const key = pairKey(acct, folder);
    let p = this.pairs.get(key);
    if (!p) this.pairs.set(key, (p = { eventsRead: 0, assumptions: 0, records: 0, groups: new UsageGroups(this.strings) }));
    const events = n('events');
    p.records += events;
    const kind = v('kind');
    if (kind === 'other') return;
    p.eventsRead += events;
    if (kind !== 'assumption') return;
    p.assumptions += events;
    const roleArn = v('role_arn');
    const eventName = v('event_name');
    const first = v('first_seen');
    const last = v('last_seen');
    if (!roleArn || !eventName || !first || !last) throw new Error('an assumption row lacks its role, event name or times');
    const mfa = n('mfa');
    const externalId = n('external_id');
    const firstMs = timeMs(first);
    const lastMs = timeMs(last);
    p.groups.push([this.id(roleArn), this.id(eventName), this.id(v('caller_account')), this.id(v('caller_arn')), this.id(v('caller_type')), this.id(v('aws_region')), events, mfa, externalId, firstMs, lastMs]);
  }
}

/** The query's rows per account and region, read at once; throws on a row that is not what the query returns. */
export function readUsageRows(columns: readonly string[], rows: readonly (string | undefined)[][]): Map<string, PairUsage> {
  const reader = new UsageRowReader(columns);
  reader.add(rows);
  return reader.pairs;
}

export interface AthenaUsageOptions {
  client: AthenaClient;
  settings: AthenaSettings;
  /** The trail the table reads ("create" needs it). */
  trail?: TrailLocation;
  eventNames: readonly string[];
  window: TimeWindow;
  log?: (event: string, fields: Record<string, unknown>) => void;
  sleep?: (ms: number) => Promise<void>;
  onRequest?: () => void;
  /** Each query's progress (the table's DDL, the usage queries, the delivery checks), for the progress line. */
  onQuery?: (update: AthenaQueryProgress) => void;
  /** Athena's region, and how to learn a bucket's: a result bucket elsewhere is then named with its region. */
  region?: string;
  bucketRegion?: (bucket: string) => Promise<string | undefined>;
  /** Rows a result page asks for (default Athena's maximum, 1,000); tests page smaller. */
  resultPageSize?: number;
}

interface QueryRecord {
  outcome: QueryOutcome;
  /** Calls already put on a coverage item: the first account and region of the query carries them. */
  callsTaken: boolean;
  usage?: Map<string, PairUsage>;
  /** Account and region pairs with no record in the window's partitions that hold no record at all either. */
  undelivered?: Set<string>;
  problem?: string;
}

/**
 * Runs the usage queries for every account and region once, before the accounts are collected, and hands
 * each account's regions their share. A failed query is a failed coverage item for every account and
 * region it covered, with Athena's reason; it never throws.
 */
export class AthenaUsage {
  private readonly results = new Map<string, { query: QueryRecord; ranges: string }>();
  private ready: Promise<void> | undefined;
  private tableLabel = '';
  /** Said in every coverage item: a limit of the table that affects what the usage can show. */
  private note = '';
  private queries = 0;
  private resultRegionNote: Promise<string> | undefined;

  constructor(private readonly opts: AthenaUsageOptions) {}

  /**
   * Athena refuses a query whose result bucket is in another region with a sentence that names neither the
   * bucket nor its region: the outcome gets both, and the setting to change (asked once per run).
   */
  private async explainResultRegion(outcome: QueryOutcome): Promise<QueryOutcome> {
    if (outcome.ok || outcome.error?.code !== 'InvalidRequestException' || !/query results.*same region/i.test(outcome.reason)) return outcome;
    this.resultRegionNote ??= this.resultRegion();
    const note = await this.resultRegionNote;
    return note ? { ...outcome, reason: `${outcome.reason}${note}` } : outcome;
  }

  private async resultRegion(): Promise<string> {
    const s = this.opts.settings;
    let output = s.outputLocation;
    let configured = output !== undefined;
    try {
      this.opts.onRequest?.();
      const configuration = (await this.opts.client.send(new GetWorkGroupCommand({ WorkGroup: s.workGroup }))).WorkGroup?.Configuration;
      ({ output, configured } = resultLocation(s.outputLocation, configuration));
    } catch {
      // Without the workgroup, the configured location is the best guess at where results were to go.
    }
    const bucket = output ? bucketOf(output) : undefined;
    if (!output || !bucket || !this.opts.region) return '';
    const bucketRegion = await this.opts.bucketRegion?.(bucket).catch(() => undefined);
    return athenaResultRegionHint({
      output,
      ...(bucketRegion && bucketRegion !== this.opts.region ? { bucketRegion } : {}),
      athenaRegion: this.opts.region,
      configured,
      workGroup: s.workGroup,
    });
  }

  start(targets: readonly { accountId: string; region: string; plan: ScanPlan }[]): void {
    // Whatever goes wrong is a gap for the accounts and regions it left without an answer, never a crash.
    this.ready = this.runAll(targets).catch((e: unknown) => {
      const record: QueryRecord = { outcome: { ok: false, state: 'ERROR', reason: `the Athena route failed: ${(e as Error).message}`, scannedBytes: 0, apiCalls: 0 }, callsTaken: false };
      for (const t of targets) {
        const key = pairKey(t.accountId, t.region);
        if (!this.results.has(key)) this.results.set(key, { query: record, ranges: JSON.stringify(t.plan.reads) });
      }
    });
  }

  private async runAll(targets: readonly { accountId: string; region: string; plan: ScanPlan }[]): Promise<void> {
    const s = this.opts.settings;
    const target = { workGroup: s.workGroup, database: s.database, catalog: s.catalog, ...(s.outputLocation ? { outputLocation: s.outputLocation } : {}) };
    const base = {
      maxWaitMs: s.maxWaitSeconds * 1000,
      ...(this.opts.resultPageSize ? { pageSize: this.opts.resultPageSize } : {}),
      ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
      ...(this.opts.onRequest ? { onRequest: this.opts.onRequest } : {}),
    };
    const onQuery = this.opts.onQuery;
    // Each query gets its own key, so the progress line can sum what each has scanned so far.
    const queryOpts = (): QueryOptions => {
      if (!onQuery) return base;
      const key = ++this.queries;
      return { ...base, onState: (u) => onQuery({ key, ...u }) };
    };
    const log = this.opts.log ?? (() => undefined);
    const fail = (outcome: QueryOutcome): void => {
      const record: QueryRecord = { outcome, callsTaken: false };
      for (const t of targets) this.results.set(pairKey(t.accountId, t.region), { query: record, ranges: JSON.stringify(t.plan.reads) });
    };

    let table: string;
    let identityProvider = true;
    if (s.table === 'create') {
      if (!this.opts.trail) return fail({ ok: false, state: 'NOT STARTED', reason: 'cloudtrail.athena.table "create" needs cloudtrail.organizationTrail.', scannedBytes: 0, apiCalls: 0 });
      const name = createdTableName(this.opts.trail);
      this.tableLabel = `${s.database}.${name}`;
      const created = await this.explainResultRegion(await runAthenaQuery(this.opts.client, cloudTrailTableDdl(s.database, name, this.opts.trail), target, queryOpts()));
      log('collect.athena.ddl', { table: this.tableLabel, queryId: created.queryId, ok: created.ok, ...(created.ok ? {} : { reason: created.reason }) });
      if (!created.ok) return fail({ ...created, reason: `creating table ${this.tableLabel} failed: ${created.reason}` });
      table = `${sqlIdent(s.database)}.${sqlIdent(name)}`;
    } else {
      this.tableLabel = `${s.database}.${s.table}`;
      try {
        this.opts.onRequest?.();
        const meta = await this.opts.client.send(new GetTableMetadataCommand({ CatalogName: s.catalog, DatabaseName: s.database, TableName: s.table }));
        const partitions = (meta.TableMetadata?.PartitionKeys ?? []).map((p) => (p.Name ?? '').toLowerCase());
        const missing = ['account', 'region', 'timestamp'].filter((p) => !partitions.includes(p));
        if (missing.length > 0) {
          return fail({
            ok: false,
            state: 'NOT STARTED',
            reason: `table ${this.tableLabel} is not partitioned by ${missing.join(', ')}: the usage query needs AWS's organization-trail table with partition projection on account, region and timestamp (or cloudtrail.athena.table "create").`,
            scannedBytes: 0,
            apiCalls: 1,
          });
        }
        const userIdentity = meta.TableMetadata?.Columns?.find((c) => c.Name?.toLowerCase() === 'useridentity')?.Type ?? '';
        identityProvider = /[<,]\s*identityprovider\s*:/i.test(userIdentity);
        if (!identityProvider) {
          this.note = ` Table ${this.tableLabel}'s useridentity has no identityprovider field (AWS's example DDL leaves it out): web identity callers are named by invokedBy, or not at all, so their trust grants may show as unused; add the field or use table "create".`;
        }
      } catch (e) {
        const error = describeError(e, `athena:GetTableMetadata on ${this.tableLabel}`);
        return fail({ ok: false, state: 'NOT STARTED', reason: error.detail, error, scannedBytes: 0, apiCalls: 1 });
      }
      table = `${sqlIdent(s.database)}.${sqlIdent(s.table)}`;
    }

    const settledBefore = new Date(Math.max(Date.parse(this.opts.window.start), Date.parse(this.opts.window.end) - SETTLE_MS)).toISOString();
    const groups = groupTargets(targets);
    await mapBounded(groups, QUERY_CONCURRENCY, async (group) => {
      const sql = usageQuery({ table, group, eventNames: this.opts.eventNames, settledBefore, identityProvider });
      // Counted page by page into a scratch reader; it becomes the usage only once the last page is read.
      let reader: UsageRowReader | undefined;
      let unreadable: string | undefined;
      const outcome = await this.explainResultRegion(
        await runAthenaQuery(this.opts.client, sql, target, queryOpts(), (columns, rows) => {
          try {
            reader ??= new UsageRowReader(columns);
            reader.add(rows);
            return true;
          } catch (e) {
            unreadable = (e as Error).message;
            return false;
          }
        }),
      );
      log('collect.athena.query', {
        queryId: outcome.queryId,
        accounts: group.accounts.length,
        regions: group.regions.length,
        ok: outcome.ok,
        scannedBytes: outcome.scannedBytes,
        apiCalls: outcome.apiCalls,
        ...(outcome.ok ? { rows: outcome.rowCount } : { state: outcome.state, reason: outcome.reason }),
      });
      const record: QueryRecord = { outcome, callsTaken: false };
      if (outcome.ok) {
        if (unreadable !== undefined || !reader) record.problem = `the result of query ${outcome.queryId} could not be read: ${unreadable ?? 'no result page'}`;
        else record.usage = reader.pairs;
      }
      if (record.usage) record.undelivered = await this.undelivered(table, group, record.usage, target, queryOpts);
      const ranges = JSON.stringify(group.ranges);
      for (const a of group.accounts) for (const r of group.regions) this.results.set(pairKey(a, r), { query: record, ranges });
    });
  }

  /**
   * Account and region pairs with no record in the partitions read: a quiet stretch, or a table that does
   * not see them (a wrong location or organization id). One more query over all their days tells the two
   * apart; only the second would make every trust look unused. If it cannot run, they count as undelivered.
   */
  private async undelivered(
    table: string,
    group: UsageQueryGroup,
    usage: Map<string, PairUsage>,
    target: Parameters<typeof runAthenaQuery>[2],
    queryOpts: () => QueryOptions,
  ): Promise<Set<string>> {
    const empty = group.accounts.flatMap((a) => group.regions.filter((r) => !usage.has(pairKey(a, r))).map((r) => [a, r] as const));
    if (empty.length === 0) return new Set();
    const accounts = [...new Set(empty.map(([a]) => a))];
    const regions = [...new Set(empty.map(([, r]) => r))];
    const sql = `SELECT account AS acct, region AS folder, count(*) AS records FROM ${table} WHERE account IN (${accounts.map(sqlString).join(', ')}) AND region IN (${regions.map(sqlString).join(', ')}) GROUP BY 1, 2`;
    // Only the pairs seen are kept, page by page; a query that did not succeed sees none.
    const pagesSeen = new Set<string>();
    const outcome = await runAthenaQuery(this.opts.client, sql, target, queryOpts(), (columns, rows) => {
      const ia = columns.indexOf('acct');
      const ir = columns.indexOf('folder');
      for (const row of rows) pagesSeen.add(pairKey(row[ia] ?? '', row[ir] ?? ''));
    });
    this.opts.log?.('collect.athena.delivery-check', { queryId: outcome.queryId, pairs: empty.length, ok: outcome.ok, scannedBytes: outcome.scannedBytes });
    const seen = outcome.ok ? pagesSeen : new Set<string>();
    return new Set(empty.map(([a, r]) => pairKey(a, r)).filter((k) => !seen.has(k)));
  }

  /**
   * This account and region's share of the query result, fed to its accumulator. The plan must be the one
   * the query was built from (both come from planScan over the same ledger and window).
   */
  async scan(accountId: string, region: string, plan: ScanPlan, usage: UsageAccumulator): Promise<CloudTrailScan> {
    await this.ready;
    const found = this.results.get(pairKey(accountId, region));
    const where = `Amazon Athena (table ${this.tableLabel || this.opts.settings.table}, workgroup ${this.opts.settings.workGroup})`;
    if (!found) return gap(`Usage data missing: ${where} was not asked about this account and region.`, 0);
    const { query, ranges } = found;
    const calls = query.callsTaken ? 0 : query.outcome.apiCalls;
    query.callsTaken = true;
    const o = query.outcome;
    const idText = o.queryId ? `query ${o.queryId}` : 'the query';
    if (!o.ok) {
      return gap(
        `Usage data missing: ${where}: ${idText} ${o.state === 'ERROR' || o.state === 'NOT STARTED' ? 'could not run' : `ended ${o.state}`}: ${o.reason} Usage unknown for this account and region, not unused; the next run asks again.${scanned(o.scannedBytes)}`,
        calls,
        o.error ? failureFields(o.error) : { errorCode: o.state === 'TIMED OUT' ? 'AthenaQueryTimedOut' : `AthenaQuery${o.state === 'CANCELLED' ? 'Cancelled' : 'Failed'}` },
      );
    }
    if (query.problem || !query.usage) return gap(`Usage data missing: ${where}: ${query.problem ?? 'no result'}.`, calls, { errorCode: 'AthenaResultUnreadable' });
    if (ranges !== JSON.stringify(plan.reads)) {
      return gap(`Usage data missing: ${where}: the query was built for other time ranges than this account and region needs.`, calls, { errorCode: 'AthenaPlanMismatch' });
    }
    if (query.undelivered?.has(pairKey(accountId, region))) {
      return gap(
        `Usage data missing: ${where}: the table holds no CloudTrail record at all for this account and region, so the trail does not deliver them where the table reads (check its LOCATION, the organization id, and that the trail covers this region). ${idText}${scanned(o.scannedBytes)}`,
        calls,
        { errorCode: 'TrailNotDelivered' },
      );
    }
    const pair = query.usage.get(pairKey(accountId, region)) ?? { eventsRead: 0, assumptions: 0, records: 0, groups: [] };
    try {
      for (const g of pair.groups) usage.addGroup(g);
    } catch (e) {
      return gap(`Usage data missing: ${where}: ${idText} returned a row that does not fit the ledger: ${(e as Error).message}`, calls, { errorCode: 'AthenaResultUnreadable' });
    }
    const span = plan.reads.map((r) => `from ${r.start} to ${r.end}`).join(' and ');
    return {
      eventsRead: pair.eventsRead,
      assumptions: pair.assumptions,
      coverage: {
        source: 'cloudtrail',
        region,
        status: 'ok',
        detail: `${where}: ${pair.eventsRead} event(s) read for ${this.opts.eventNames.join(', ')} ${span}; ${idText} (shared by every account and region with the same days)${scanned(o.scannedBytes)}.${this.note}`,
        apiCalls: calls,
      },
    };

    function gap(detail: string, apiCalls: number, fields: { errorCode: string; httpStatus?: number } = { errorCode: 'AthenaQueryFailed' }): CloudTrailScan {
      const item: CoverageItem = { source: 'cloudtrail', region, status: 'failed', detail, apiCalls, ...fields };
      return { eventsRead: 0, assumptions: 0, coverage: item };
    }
  }
}

function scanned(bytes: number): string {
  return bytes <= 0 ? '' : `, ${formatByteCount(bytes)} scanned`;
}

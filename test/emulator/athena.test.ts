/**
 * The emulated Athena runs the SQL it is sent with a real engine over the trail's log files in its S3: a
 * CloudTrail table created with AWS's partition-projection DDL answers SELECTs with the same numbers the
 * files hold, through the SDK's own client and Athena's wire shapes.
 */
import { gzipSync } from 'node:zlib';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, GetTableMetadataCommand, GetWorkGroupCommand, StartQueryExecutionCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATHENA_RESULTS_BUCKET, startEmulator, trailLogKey, type RunningEmulator } from '../../src/emulator/index.js';
import { clients } from './helpers.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const OUTPUT = `s3://${ATHENA_RESULTS_BUCKET}/results/`;

/** AWS's documented CloudTrail table (partition projection on account, region and day), cut to the columns used. */
function ddl(bucket: string, orgId: string, table = 'cloudtrail_logs'): string {
  return `CREATE EXTERNAL TABLE ${table} (
    eventversion STRING,
    useridentity STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
      sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>>>,
    eventtime STRING, eventsource STRING, eventname STRING, awsregion STRING, errorcode STRING,
    requestparameters STRING, eventid STRING,
    resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
    recipientaccountid STRING)
  PARTITIONED BY (account STRING, region STRING, \`timestamp\` STRING)
  ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
  STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
  OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
  LOCATION 's3://${bucket}/AWSLogs/${orgId}/'
  TBLPROPERTIES (
    'projection.enabled'='true',
    'projection.account.type'='injected',
    'projection.region.type'='injected',
    'projection.timestamp.type'='date',
    'projection.timestamp.format'='yyyy/MM/dd',
    'projection.timestamp.interval'='1',
    'projection.timestamp.interval.unit'='DAYS',
    'projection.timestamp.range'='2024/01/01,NOW',
    'storage.location.template'='s3://${bucket}/AWSLogs/${orgId}/\${account}/CloudTrail/\${region}/\${timestamp}')`;
}

async function run(athena: AthenaClient, sql: string, database = 'default'): Promise<{ exec: QueryExecution; rows: (string | undefined)[][] }> {
  const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: sql, QueryExecutionContext: { Database: database }, ResultConfiguration: { OutputLocation: OUTPUT } }));
  let exec: QueryExecution | undefined;
  for (let i = 0; i < 600; i += 1) {
    exec = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution;
    if (exec?.Status?.State !== 'QUEUED' && exec?.Status?.State !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (exec?.Status?.State !== 'SUCCEEDED') return { exec: exec as QueryExecution, rows: [] };
  const rows: (string | undefined)[][] = [];
  let token: string | undefined;
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 2, ...(token ? { NextToken: token } : {}) }));
    for (const r of page.ResultSet?.Rows ?? []) rows.push((r.Data ?? []).map((d) => d.VarCharValue));
    token = page.NextToken;
  } while (token);
  return { exec, rows };
}

describe('emulated Athena', () => {
  let emu: RunningEmulator;
  let athena: AthenaClient;
  const account = '111122223333';
  /** Compressed size of each day's log file, as S3 holds it. */
  const sizes = new Map<number, number>();

  beforeAll(async () => {
    emu = await startEmulator({ seed: 3, now: NOW, org: { memberAccounts: 1, rolesPerAccount: 4, eventsPerAccount: 50 }, organizationTrail: {} });
    athena = new AthenaClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials });
    const s3 = clients.s3(emu);
    const put = (key: string, records: unknown[], day?: number) => {
      const body = gzipSync(JSON.stringify({ Records: records }));
      if (day !== undefined) sizes.set(day, body.length);
      return s3.send(new PutObjectCommand({ Bucket: emu.trail!.bucket, Key: key, Body: body }));
    };
    const rec = (t: string, name: string, extra: Record<string, unknown> = {}) => ({
      eventVersion: '1.08',
      eventTime: t,
      eventName: name,
      eventSource: 'sts.amazonaws.com',
      awsRegion: 'eu-west-1',
      userIdentity: { type: 'AWSAccount', accountId: '999988887777', sessionContext: { attributes: { mfaAuthenticated: 'true' } } },
      requestParameters: { roleArn: `arn:aws:iam::${account}:role/Reader`, roleSessionName: 's' },
      resources: [{ ARN: `arn:aws:iam::${account}:role/Reader`, accountId: account, type: 'AWS::IAM::Role' }],
      ...extra,
    });
    const key = (day: number) => trailLogKey({ organizationId: emu.org.organization.id, accountId: account, region: 'eu-west-1', deliveredMs: Date.parse(`2026-11-${day}T10:05:00Z`), unique: `u${day}` });
    await put(key(10), [rec('2026-11-10T10:00:00Z', 'AssumeRole'), rec('2026-11-10T10:01:00Z', 'AssumeRole', { errorCode: 'AccessDenied' }), rec('2026-11-10T10:02:00Z', 'GetCallerIdentity')], 10);
    await put(key(11), [rec('2026-11-11T09:00:00Z', 'AssumeRole', { requestParameters: { roleArn: `arn:aws:iam::${account}:role/Reader`, externalId: 'x' } })], 11);
  }, 120_000);

  afterAll(async () => {
    await emu?.close();
  });

  it('creates the documented CloudTrail table and runs Athena SQL over the trail files', async () => {
    const created = await run(athena, ddl(emu.trail!.bucket, emu.org.organization.id));
    expect(created.exec.Status?.State).toBe('SUCCEEDED');
    expect(created.exec.StatementType).toBe('DDL');
    const meta = await athena.send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'default', TableName: 'cloudtrail_logs' }));
    expect(meta.TableMetadata?.PartitionKeys?.map((p) => p.Name)).toEqual(['account', 'region', 'timestamp']);

    const q = await run(
      athena,
      `SELECT "timestamp" AS day, eventname, count(*) AS n,
         sum(CASE WHEN useridentity.sessioncontext.attributes.mfaauthenticated = 'true' THEN 1 ELSE 0 END) AS mfa,
         max(json_extract_scalar(requestparameters, '$.externalId')) AS ext,
         max(element_at(filter(resources, r -> r.type = 'AWS::IAM::Role'), 1).arn) AS role,
         min(to_iso8601(from_iso8601_timestamp(eventtime))) AS first
       FROM cloudtrail_logs
       WHERE account IN ('${account}') AND region = 'eu-west-1' AND "timestamp" BETWEEN '2026/11/01' AND '2026/11/20'
         AND (errorcode IS NULL OR errorcode = '')
       GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(q.exec.Status?.State, q.exec.Status?.StateChangeReason).toBe('SUCCEEDED');
    expect(q.rows).toEqual([
      ['day', 'eventname', 'n', 'mfa', 'ext', 'role', 'first'],
      ['2026/11/10', 'AssumeRole', '1', '1', undefined, `arn:aws:iam::${account}:role/Reader`, '2026-11-10T10:00:00.000Z'],
      ['2026/11/10', 'GetCallerIdentity', '1', '1', undefined, `arn:aws:iam::${account}:role/Reader`, '2026-11-10T10:02:00.000Z'],
      ['2026/11/11', 'AssumeRole', '1', '1', 'x', `arn:aws:iam::${account}:role/Reader`, '2026-11-11T09:00:00.000Z'],
    ]);
    expect(q.exec.Statistics?.DataScannedInBytes).toBeGreaterThan(0);
    const csv = await clients.s3(emu).send(new GetObjectCommand({ Bucket: ATHENA_RESULTS_BUCKET, Key: `results/${q.exec.QueryExecutionId}.csv` }));
    expect((await csv.Body!.transformToString()).split('\n')[0]).toBe('"day","eventname","n","mfa","ext","role","first"');
  });

  it('reports as scanned the bytes of the log files the query\'s partitions select, not the whole table', async () => {
    await run(athena, ddl(emu.trail!.bucket, emu.org.organization.id, 'scan_logs'));
    const scanned = async (where: string): Promise<number> => {
      const q = await run(athena, `SELECT count(*) FROM scan_logs WHERE ${where}`);
      expect(q.exec.Status?.State, q.exec.Status?.StateChangeReason).toBe('SUCCEEDED');
      return q.exec.Statistics?.DataScannedInBytes ?? -1;
    };
    const day10 = sizes.get(10)!;
    const day11 = sizes.get(11)!;
    const mine = `account = '${account}' AND region = 'eu-west-1'`;
    expect(await scanned(`${mine} AND "timestamp" = '2026/11/10'`)).toBe(day10);
    expect(await scanned(`${mine} AND "timestamp" BETWEEN '2026/11/11' AND '2026/11/20'`)).toBe(day11);
    expect(await scanned(`${mine} AND ("timestamp" = '2026/11/10' OR "timestamp" = '2026/11/11')`)).toBe(day10 + day11);
    // Every day of the account and region when the query names no day.
    expect(await scanned(mine)).toBe(day10 + day11);
    // A condition on the records' contents does not spare a file: Athena still reads it whole.
    expect(await scanned(`${mine} AND "timestamp" = '2026/11/10' AND eventname = 'NoSuchCall'`)).toBe(day10);
    expect(await scanned(`${mine} AND "timestamp" = '2026/10/01'`)).toBe(0);
    // The synthetic organization's own trail files are in the table too, and not read for this account.
    const member = emu.org.accounts.find((a) => a.id !== account)!.id;
    expect(await scanned(`account = '${member}' AND region IN (${emu.org.regions.map((r) => `'${r}'`).join(', ')})`)).toBeGreaterThan(0);
  });

  it('fails a query that gives an injected partition column no static equality condition, as Athena does', async () => {
    await run(athena, ddl(emu.trail!.bucket, emu.org.organization.id, 'injected_logs'));
    for (const where of [`region = 'eu-west-1'`, `account > '1' AND region = 'eu-west-1'`, `(account = '${account}' OR eventname = 'AssumeRole') AND region = 'eu-west-1'`, `account = '${account}'`]) {
      const q = await run(athena, `SELECT count(*) FROM injected_logs WHERE ${where}`);
      expect(q.exec.Status?.State, where).toBe('FAILED');
      const column = where.includes(`account = '${account}'`) && !where.includes(' OR ') ? 'region' : 'account';
      expect(q.exec.Status?.StateChangeReason).toBe(
        `CONSTRAINT_VIOLATION: For the injected projected partition column ${column}, the WHERE clause must contain only static equality conditions, and at least one such condition must be present.`,
      );
    }
    const ok = await run(athena, `SELECT count(*) FROM injected_logs WHERE account IN ('${account}', '444455556666') AND region = 'eu-west-1'`);
    expect(ok.exec.Status?.State, ok.exec.Status?.StateChangeReason).toBe('SUCCEEDED');
  });

  it('fails a query with Athena\'s reason instead of answering', async () => {
    const missing = await run(athena, 'SELECT count(*) FROM no_such_table');
    expect(missing.exec.Status?.State).toBe('FAILED');
    expect(missing.exec.Status?.StateChangeReason).toMatch(/TABLE_NOT_FOUND/);
    const badDdl = await run(athena, 'CREATE EXTERNAL TABLE t (a STRING) LOCATION');
    expect(badDdl.exec.Status?.State).toBe('FAILED');
    expect(badDdl.exec.Status?.AthenaError?.ErrorCategory).toBe(2);
  });

  it('names a log file that is not gzip JSON in the failure', async () => {
    await run(athena, ddl(emu.trail!.bucket, emu.org.organization.id, 'broken_logs'));
    const key = trailLogKey({ organizationId: emu.org.organization.id, accountId: '444455556666', region: 'eu-west-1', deliveredMs: Date.parse('2026-11-12T10:05:00Z'), unique: 'bad' });
    await clients.s3(emu).send(new PutObjectCommand({ Bucket: emu.trail!.bucket, Key: key, Body: gzipSync('{"Records": [') }));
    const q = await run(athena, `SELECT count(*) FROM broken_logs WHERE account = '444455556666' AND region = 'eu-west-1'`);
    expect(q.exec.Status?.State).toBe('FAILED');
    expect(q.exec.Status?.StateChangeReason).toContain(key);
  });

  it('answers GetWorkGroup and refuses an unknown one', async () => {
    expect((await athena.send(new GetWorkGroupCommand({ WorkGroup: 'primary' }))).WorkGroup?.State).toBe('ENABLED');
    await expect(athena.send(new GetWorkGroupCommand({ WorkGroup: 'nope' }))).rejects.toThrow(/WorkGroup nope is not found/);
  });
});

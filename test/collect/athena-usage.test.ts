/**
 * The Athena usage query's pure parts: which day partitions an incremental run asks for, how accounts and
 * regions are grouped into queries, and how result rows become usage; and the emulator's reading of Hive
 * DDL and partition projection, which decides what those partitions hold.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cloudTrailTableDdl, createdTableName, dayPredicate, groupTargets, readUsageRows, USAGE_COLUMNS, usageQuery } from '../../src/collect/athena-usage.js';
import { planScan, type LedgerDays } from '../../src/collect/usage-ledger.js';
import { parseCreateExternalTable, duckType } from '../../src/emulator/athena-ddl.js';
import { partitionMatcher, serdeRecord } from '../../src/emulator/athena-table.js';

const NAMES = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];
const WINDOW = { start: '2026-08-23T00:00:00.000Z', end: '2026-11-20T12:00:00.000Z' };
const LOC = { bucket: 'org-trail-logs', prefix: 'ct', organizationId: 'o-abcdefghij' };

describe('the usage query', () => {
  it('a first run reads the window\'s days and the next day; an incremental run only the days after the ledger', () => {
    const full = planScan(undefined, WINDOW, NAMES);
    expect(dayPredicate(full.reads)).toBe(`("timestamp" BETWEEN '2026/08/23' AND '2026/11/21')`);
    const ledger: LedgerDays = { region: 'us-east-1', eventNames: NAMES, coveredUntil: '2026-11-13T11:30:00.000Z', days: [] };
    const incremental = planScan(ledger, WINDOW, NAMES);
    expect(dayPredicate(incremental.reads)).toBe(`("timestamp" BETWEEN '2026/11/13' AND '2026/11/21')`);
    const sql = usageQuery({ table: '"default"."t"', group: { accounts: ['111122223333'], regions: ['us-east-1'], ranges: incremental.reads }, eventNames: NAMES, settledBefore: '2026-11-20T11:30:00.000Z', identityProvider: true });
    expect(sql).toContain(`WHERE account IN ('111122223333') AND region IN ('us-east-1') AND ("timestamp" BETWEEN '2026/11/13' AND '2026/11/21')`);
    expect(sql).toContain(`(t >= from_iso8601_timestamp('2026-11-13T11:30:00.000Z') AND t <= from_iso8601_timestamp('2026-11-20T12:00:00.000Z'))`);
    expect(usageQuery({ table: 't', group: { accounts: ['1'], regions: ['r'], ranges: full.reads }, eventNames: NAMES, settledBefore: WINDOW.end, identityProvider: false })).not.toContain('identityprovider');
  });

  it('groups accounts and regions with the same days into one query, and splits the rest', () => {
    const full = planScan(undefined, WINDOW, NAMES);
    const ledger: LedgerDays = { region: 'eu-west-1', eventNames: NAMES, coveredUntil: '2026-11-13T11:30:00.000Z', days: [] };
    const behind = planScan(ledger, WINDOW, NAMES);
    const groups = groupTargets([
      { accountId: 'a', region: 'us-east-1', plan: full },
      { accountId: 'a', region: 'eu-west-1', plan: full },
      { accountId: 'b', region: 'us-east-1', plan: full },
      { accountId: 'b', region: 'eu-west-1', plan: full },
      { accountId: 'c', region: 'us-east-1', plan: full },
      { accountId: 'c', region: 'eu-west-1', plan: behind },
    ]);
    expect(groups.map((g) => [g.accounts, g.regions, g.ranges === full.reads])).toEqual([
      [['a', 'b'], ['eu-west-1', 'us-east-1'], true],
      [['c'], ['us-east-1'], true],
      [['c'], ['eu-west-1'], false],
    ]);
  });

  it('reads result rows into per-account-and-region usage', () => {
    const row = (kind: string, extra: Partial<Record<(typeof USAGE_COLUMNS)[number], string>> = {}) =>
      USAGE_COLUMNS.map((c) => ({ acct: '111122223333', folder: 'us-east-1', kind, events: '3', mfa: '0', external_id: '0', ...extra })[c as string]);
    const usage = readUsageRows(USAGE_COLUMNS, [
      row('assumption', { aws_region: 'us-east-1', day: '2026-11-10', settled: 'true', role_arn: 'arn:aws:iam::111122223333:role/R', event_name: 'AssumeRole', caller_account: '444455556666', caller_arn: 'arn:aws:iam::444455556666:root', caller_type: 'AWSAccount', mfa: '1', first_seen: '2026-11-10T01:00:00.000Z', last_seen: '2026-11-10T05:00:00.000Z' }),
      row('event', { events: '2' }),
      row('other', { events: '40' }),
    ]);
    const pair = usage.get('111122223333|us-east-1')!;
    expect({ ...pair, groups: [...pair.groups] }).toEqual({
      eventsRead: 5,
      assumptions: 3,
      records: 45,
      groups: [
        {
          roleArn: 'arn:aws:iam::111122223333:role/R',
          eventName: 'AssumeRole',
          callerAccountId: '444455556666',
          callerArn: 'arn:aws:iam::444455556666:root',
          callerType: 'AWSAccount',
          count: 3,
          mfaCount: 1,
          withExternalIdCount: 0,
          firstSeen: '2026-11-10T01:00:00.000Z',
          lastSeen: '2026-11-10T05:00:00.000Z',
          regions: ['us-east-1'],
        },
      ],
    });
    expect(() => readUsageRows(['acct'], [])).toThrow(/no column folder/);
  });
});

describe('the table "create" makes, as the emulator reads its DDL', () => {
  const def = parseCreateExternalTable(cloudTrailTableDdl('default', createdTableName(LOC), LOC));

  it('is AWS\'s CloudTrail table over the trail, partitioned by account, region and day', () => {
    expect(def.name).toMatch(/^access_review_cloudtrail_[0-9a-f]{10}$/);
    expect(def.ifNotExists).toBe(true);
    expect(def.location).toBe('s3://org-trail-logs/ct/AWSLogs/o-abcdefghij/');
    expect(def.partitions.map((p) => p.name)).toEqual(['account', 'region', 'timestamp']);
    expect(def.inputFormat).toBe('com.amazon.emr.cloudtrail.CloudTrailInputFormat');
    expect(duckType(def.columns.find((c) => c.name === 'resources')!.type)).toBe('STRUCT("arn" VARCHAR, "accountid" VARCHAR, "type" VARCHAR)[]');
  });

  it('gets a new name whenever anything that shapes its DDL changes, so a changed config never reuses a stale table', () => {
    const name = createdTableName(LOC);
    expect(createdTableName({ ...LOC })).toBe(name);
    const variants = [
      { ...LOC, prefix: 'other' },
      { ...LOC, prefix: undefined },
      { ...LOC, organizationId: 'o-zyxwvutsrq' },
      // The account-trail layout: no organization id in the keys.
      { ...LOC, organizationId: undefined },
      { ...LOC, bucket: 'log-archive-eu' },
    ].map((l) => createdTableName(Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)) as typeof LOC));
    expect(new Set([name, ...variants]).size).toBe(variants.length + 1);
    // The KMS key decrypts the objects but is not part of the table: same table.
    expect(createdTableName({ ...LOC, kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k' })).toBe(name);
    // Any other change to the DDL (a column, the projection range, the template) changes the name too: it is
    // the DDL's own hash, whatever the table and database are called.
    const ddl = cloudTrailTableDdl('database', 'table', LOC);
    expect(name).toBe(`access_review_cloudtrail_${createHash('sha256').update(ddl).digest('hex').slice(0, 10)}`);
    expect(ddl).toContain("'projection.timestamp.range'='2013/11/01,NOW'");
  });

  it('maps an object key to its partitions, and leaves out days outside the projection and digest files', () => {
    const m = partitionMatcher(def, new Date('2026-11-20T12:00:00Z'));
    expect(m.bucket).toBe('org-trail-logs');
    expect(m.prefix).toBe('ct/AWSLogs/o-abcdefghij/');
    expect(m.match('ct/AWSLogs/o-abcdefghij/111122223333/CloudTrail/eu-west-1/2026/11/10/f.json.gz')).toEqual({ account: '111122223333', region: 'eu-west-1', timestamp: '2026/11/10' });
    expect(m.match('ct/AWSLogs/o-abcdefghij/111122223333/CloudTrail/eu-west-1/2027/01/10/f.json.gz')).toBeUndefined();
    expect(m.match('ct/AWSLogs/o-abcdefghij/111122223333/CloudTrail-Digest/eu-west-1/2026/11/10/f.json.gz')).toBeUndefined();
  });

  it('reads a record as the JSON SerDe does: keys without regard to case, objects in STRING columns as JSON text', () => {
    const row = serdeRecord(
      { eventName: 'AssumeRole', requestParameters: { roleArn: 'arn:aws:iam::1:role/R' }, userIdentity: { type: 'AWSAccount', sessionContext: { attributes: { mfaAuthenticated: 'true' } } }, resources: [{ ARN: 'x', type: 'AWS::IAM::Role' }] },
      def.columns,
    );
    expect(row.eventname).toBe('AssumeRole');
    expect(row.requestparameters).toBe('{"roleArn":"arn:aws:iam::1:role/R"}');
    expect((row.useridentity as { sessioncontext: { attributes: { mfaauthenticated: string } } }).sessioncontext.attributes.mfaauthenticated).toBe('true');
    expect(row.resources).toEqual([{ arn: 'x', accountid: null, type: 'AWS::IAM::Role' }]);
    expect(row.errorcode).toBeNull();
  });
});

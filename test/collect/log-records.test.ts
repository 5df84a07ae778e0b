/** Skimming a trail log file: only records naming an asked-for event are parsed, the rest is left as text. */
import { describe, expect, it } from 'vitest';
import { LogFormatError, selectLogRecords } from '../../src/collect/log-records.js';
import { RecentEventIds } from '../../src/collect/organization-trail.js';

const NAMES = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];
const rec = (eventName: string, extra: Record<string, unknown> = {}) => ({ eventVersion: '1.10', eventName, eventTime: '2026-11-01T10:00:00Z', ...extra });
const compact = (records: unknown[]) => Buffer.from(JSON.stringify({ Records: records }));

describe('selectLogRecords', () => {
  it('parses only the records that name an asked-for event, in CloudTrail\'s compact form', () => {
    const records = [
      rec('DescribeInstances', { requestParameters: { filter: [{ a: '{"eventVersion":' }] } }),
      rec('AssumeRole', { requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/a' } }),
      rec('GetObject', { note: 'AssumeRoleish' }),
      rec('AssumeRoleWithSAML'),
      rec('AssumeRoleWithWebIdentity', { resources: [{ type: 'AWS::IAM::Role', ARN: 'x' }] }),
    ];
    const out = selectLogRecords(compact(records), NAMES);
    expect(out.skimmed).toBe(true);
    expect(out.records).toEqual([records[1], records[3], records[4]]);
  });

  it('a record that merely mentions a name is a candidate, and the caller checks eventName', () => {
    const records = [rec('CreateRole', { requestParameters: { policy: 'AssumeRole' } }), rec('PutObject')];
    expect(selectLogRecords(compact(records), NAMES).records).toEqual([records[0]]);
  });

  it('names with no long shared prefix are searched one by one and give the same candidates', () => {
    const records = [rec('GetObject'), rec('AssumeRole'), rec('PutObject', { note: 'GetObjectish' }), rec('ListBuckets')];
    expect(selectLogRecords(compact(records), ['GetObject', 'AssumeRole']).records).toEqual([records[0], records[1]]);
    // One shared-prefix pass keeps only hits where a whole quoted name stands: "AssumeRoleX" is not one.
    const near = [rec('AssumeRoleX'), rec('AssumeRoleWithSAML'), rec('X', { p: 'AssumeRoles' })];
    expect(selectLogRecords(compact(near), NAMES).records).toEqual([near[1]]);
  });

  it('a file with no candidate parses nothing; an empty Records array is still a log file', () => {
    expect(selectLogRecords(compact([rec('ListBuckets'), rec('GetObject')]), NAMES)).toEqual({ records: [], skimmed: true });
    expect(selectLogRecords(Buffer.from('{"Records":[]}'), NAMES)).toEqual({ records: [], skimmed: false });
  });

  it('a file written another way (spaces, other key order) is parsed whole and gives the same records', () => {
    const records = [{ eventName: 'AssumeRole', eventVersion: '1.10' }, rec('GetObject')];
    const pretty = Buffer.from(JSON.stringify({ Records: records }, null, 2));
    expect(selectLogRecords(pretty, NAMES)).toEqual({ records, skimmed: false });
    expect(selectLogRecords(compact(records), NAMES)).toEqual({ records, skimmed: false });
  });

  it('a record with a nested object that starts like a record is not cut in two: the file is parsed whole', () => {
    const records = [rec('AssumeRole', { additionalEventData: { eventVersion: '1', x: 1 } }), rec('GetObject')];
    const out = selectLogRecords(compact(records), NAMES);
    expect(out).toEqual({ records, skimmed: false });
  });

  it('a damaged file fails with the parser\'s reason', () => {
    const text = compact([rec('AssumeRole'), rec('GetObject')]).toString();
    expect(() => selectLogRecords(Buffer.from(text.slice(0, -10)), NAMES)).toThrow(LogFormatError);
    expect(() => selectLogRecords(Buffer.from(text.slice(0, -10)), NAMES)).toThrow(/^not valid JSON: /);
    expect(() => selectLogRecords(Buffer.from('{"Logs":[]}'), NAMES)).toThrow('not a CloudTrail log file (no Records array)');
    // A candidate record broken inside: its own parse fails, and so does the whole file's.
    const broken = text.replace('"eventName":"AssumeRole"', '"eventName":"AssumeRole",,');
    expect(() => selectLogRecords(Buffer.from(broken), NAMES)).toThrow(/^not valid JSON: /);
  });
});

describe('RecentEventIds', () => {
  it('counts an id once while its day can still be delivered, and forgets days no open file can repeat', () => {
    const ids = new RecentEventIds();
    ids.opened('2026-11-01');
    expect(ids.first('a', '2026-10-31')).toBe('new');
    expect(ids.first('b', '2026-11-01')).toBe('new');
    expect(ids.first('a', '2026-10-31')).toBe('seen');
    ids.closed('2026-11-01');
    ids.opened('2026-11-02');
    // The next day's folder may repeat the day before's events.
    expect(ids.first('b', '2026-11-01')).toBe('seen');
    expect(ids.first('c', '2026-11-02')).toBe('new');
    ids.closed('2026-11-02');
    expect(ids.size).toBe(2);
    ids.opened('2026-11-03');
    ids.closed('2026-11-03');
    // 2026-11-01 is forgotten once every open file is from the 3rd on: a repeat of it is not checked.
    expect(ids.size).toBe(1);
    ids.opened('2026-11-04');
    expect(ids.first('b', '2026-11-01')).toBe('unchecked');
    ids.closed('2026-11-04');
  });

  it('keeps the days an older file still open may repeat', () => {
    const ids = new RecentEventIds();
    ids.opened('2026-11-01');
    ids.opened('2026-11-05');
    expect(ids.first('a', '2026-10-31')).toBe('new');
    ids.closed('2026-11-05');
    expect(ids.first('a', '2026-10-31')).toBe('seen');
    ids.closed('2026-11-01');
    expect(ids.size).toBe(1);
  });
});

/**
 * One Athena query's lifecycle as the collector drives it: poll with a growing pause, stop a query that
 * outlives the bounded wait, page through results without the header row, and turn failures into
 * outcomes with Athena's reason instead of exceptions.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import { describe, expect, it } from 'vitest';
import { runAthenaQuery } from '../../src/collect/athena-query.js';

type Sent = { name: string; input: Record<string, unknown> };

/** An Athena stand-in answering each command by name, recording what was sent. */
function fakeAthena(answer: (name: string, input: Record<string, unknown>, n: number) => unknown): { client: AthenaClient; sent: Sent[] } {
  const sent: Sent[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      sent.push({ name, input: command.input });
      const out = answer(name, command.input, sent.filter((s) => s.name === name).length);
      if (out instanceof Error) throw out;
      return out;
    },
  } as unknown as AthenaClient;
  return { client, sent };
}

const TARGET = { workGroup: 'wg', database: 'db', catalog: 'AwsDataCatalog', outputLocation: 's3://results/x/' };

describe('runAthenaQuery', () => {
  it('polls with a growing pause, then pages through the rows without the header', async () => {
    const pauses: number[] = [];
    const { client, sent } = fakeAthena((name, input, n) => {
      if (name === 'StartQueryExecution') return { QueryExecutionId: 'q-1' };
      if (name === 'GetQueryExecution') return { QueryExecution: { Status: { State: n < 4 ? 'RUNNING' : 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 2048, EngineExecutionTimeInMillis: 900 } } };
      const meta = { ColumnInfo: [{ Name: 'a' }, { Name: 'b' }] };
      if (!input.NextToken) return { ResultSet: { ResultSetMetadata: meta, Rows: [{ Data: [{ VarCharValue: 'a' }, { VarCharValue: 'b' }] }, { Data: [{ VarCharValue: '1' }, {}] }] }, NextToken: 't2' };
      return { ResultSet: { ResultSetMetadata: meta, Rows: [{ Data: [{ VarCharValue: '2' }, { VarCharValue: 'x' }] }] } };
    });
    const pages: { columns: readonly string[]; rows: (string | undefined)[][] }[] = [];
    const out = await runAthenaQuery(client, 'SELECT 1', TARGET, { maxWaitMs: 60_000, firstPollMs: 100, sleep: async (ms) => void pauses.push(ms) }, (columns, rows) => void pages.push({ columns, rows }));
    expect(out).toEqual({ ok: true, queryId: 'q-1', columns: ['a', 'b'], rowCount: 2, scannedBytes: 2048, engineMs: 900, apiCalls: 7 });
    // Each page as it came, the header row left out of the first.
    expect(pages).toEqual([
      { columns: ['a', 'b'], rows: [['1', undefined]] },
      { columns: ['a', 'b'], rows: [['2', 'x']] },
    ]);
    expect(pauses).toEqual([100, 150, 225]);
    expect(sent[0]).toEqual({ name: 'StartQueryExecution', input: { QueryString: 'SELECT 1', WorkGroup: 'wg', QueryExecutionContext: { Database: 'db', Catalog: 'AwsDataCatalog' }, ResultConfiguration: { OutputLocation: 's3://results/x/' } } });
    expect(sent.filter((s) => s.name === 'GetQueryResults').map((s) => s.input)).toEqual([{ QueryExecutionId: 'q-1', MaxResults: 1000 }, { QueryExecutionId: 'q-1', MaxResults: 1000, NextToken: 't2' }]);
  });

  it('tells an empty result\'s columns, and reads no further page once told to stop', async () => {
    const answer = (name: string, input: Record<string, unknown>, rows: number) => {
      if (name === 'StartQueryExecution') return { QueryExecutionId: 'q-5' };
      if (name === 'GetQueryExecution') return { QueryExecution: { Status: { State: 'SUCCEEDED' } } };
      const meta = { ColumnInfo: [{ Name: 'a' }] };
      const page = Number(input.NextToken ?? '0');
      return { ResultSet: { ResultSetMetadata: meta, Rows: [...(page === 0 ? [{ Data: [{ VarCharValue: 'a' }] }] : []), ...Array.from({ length: rows }, (_, i) => ({ Data: [{ VarCharValue: `${page}.${i}` }] }))] }, ...(page < 4 ? { NextToken: String(page + 1) } : {}) };
    };
    const empty = fakeAthena((name, input) => ({ ...answer(name, input, 0), NextToken: undefined }));
    const seen: (readonly string[])[] = [];
    expect(await runAthenaQuery(empty.client, 'SELECT a', TARGET, { maxWaitMs: 1000 }, (columns, rows) => void seen.push(columns, rows.flat() as string[]))).toMatchObject({ ok: true, columns: ['a'], rowCount: 0 });
    expect(seen).toEqual([['a'], []]);
    const stopped = fakeAthena((name, input) => answer(name, input, 2));
    const pages: string[][] = [];
    const out = await runAthenaQuery(stopped.client, 'SELECT a', TARGET, { maxWaitMs: 1000, pageSize: 2 }, (_, rows) => pages.push(rows.flat() as string[]) < 2);
    expect(pages).toEqual([['0.0', '0.1'], ['1.0', '1.1']]);
    expect(out).toMatchObject({ ok: true, rowCount: 4, apiCalls: 4 });
    expect(stopped.sent.filter((s) => s.name === 'GetQueryResults').map((s) => s.input)).toEqual([{ QueryExecutionId: 'q-5', MaxResults: 2 }, { QueryExecutionId: 'q-5', MaxResults: 2, NextToken: '1' }]);
  });

  it('stops a query still running after the bounded wait', async () => {
    const { client, sent } = fakeAthena((name) => (name === 'StartQueryExecution' ? { QueryExecutionId: 'q-2' } : name === 'GetQueryExecution' ? { QueryExecution: { Status: { State: 'RUNNING' } } } : {}));
    const out = await runAthenaQuery(client, 'SELECT 1', TARGET, { maxWaitMs: 0, sleep: async () => undefined });
    expect(out).toMatchObject({ ok: false, queryId: 'q-2', state: 'TIMED OUT', reason: 'the query was still RUNNING after 0 s (cloudtrail.athena.maxWaitSeconds) and was stopped.' });
    expect(sent.map((s) => s.name)).toEqual(['StartQueryExecution', 'GetQueryExecution', 'StopQueryExecution']);
  });

  it('a failed query gives Athena\'s reason; a refused start gives the error', async () => {
    const failed = fakeAthena((name) =>
      name === 'StartQueryExecution'
        ? { QueryExecutionId: 'q-3' }
        : { QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'short', AthenaError: { ErrorMessage: 'HIVE_BAD_DATA: Error parsing field value' } }, Statistics: { DataScannedInBytes: 10 } } },
    );
    expect(await runAthenaQuery(failed.client, 'SELECT 1', TARGET, { maxWaitMs: 1000 })).toEqual({ ok: false, queryId: 'q-3', state: 'FAILED', reason: 'HIVE_BAD_DATA: Error parsing field value', scannedBytes: 10, apiCalls: 2 });
    const denied = Object.assign(new Error('User is not authorized to perform: athena:StartQueryExecution'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    const refused = fakeAthena(() => denied);
    const out = await runAthenaQuery(refused.client, 'SELECT 1', TARGET, { maxWaitMs: 1000 });
    expect(out).toMatchObject({ ok: false, state: 'ERROR', error: { code: 'AccessDeniedException', accessDenied: true } });
    expect(out.ok ? '' : out.reason).toContain('athena:StartQueryExecution');
  });
});

/**
 * One Athena query, start to last result row: StartQueryExecution, GetQueryExecution polled with a growing
 * pause inside a bounded wait (past it the query is stopped), then GetQueryResults page by page. Nothing
 * throws for a query that failed, was cancelled or ran too long: the outcome says so with Athena's reason,
 * so the caller can turn it into a coverage gap.
 *
 * Result rows go to the caller page by page and are not kept here: a usage query can return hundreds of
 * thousands of rows, and the caller needs only what it counts from them.
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { describeError, type DescribedError } from './errors.js';

export interface AthenaTarget {
  workGroup: string;
  database: string;
  catalog: string;
  outputLocation?: string;
}

export interface QueryOptions {
  maxWaitMs: number;
  /** The first pause between polls; each next one is half as long again, up to 5 s. */
  firstPollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRequest?: () => void;
  /** Told when the query starts, at each poll (bytes scanned so far) and once when it ends, however it ends. */
  onState?: (s: { finished: boolean; scannedBytes: number }) => void;
  /** Rows a GetQueryResults page asks for: Athena's maximum unless a test wants pages smaller. */
  pageSize?: number;
}

/**
 * Told each GetQueryResults page as it arrives (the header row left out; told the first page even when it
 * holds no row, so the columns are always seen). Returning false reads no further page: the caller found
 * a row it cannot use, and the rest would cost calls for nothing. It must not throw.
 */
export type RowSink = (columns: readonly string[], rows: (string | undefined)[][]) => boolean | void;

export type QueryOutcome =
  | { ok: true; queryId: string; columns: string[]; rowCount: number; scannedBytes: number; engineMs: number; apiCalls: number }
  | { ok: false; queryId?: string; state: string; reason: string; error?: DescribedError; scannedBytes: number; apiCalls: number };

const MAX_POLL_MS = 5000;
const PAGE_SIZE = 1000;

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runAthenaQuery(client: AthenaClient, sql: string, target: AthenaTarget, opts: QueryOptions, onRows?: RowSink): Promise<QueryOutcome> {
  const outcome = await runQuery(client, sql, target, opts, onRows);
  if (outcome.queryId) opts.onState?.({ finished: true, scannedBytes: outcome.scannedBytes });
  return outcome;
}

async function runQuery(client: AthenaClient, sql: string, target: AthenaTarget, opts: QueryOptions, onRows: RowSink | undefined): Promise<QueryOutcome> {
  const sleep = opts.sleep ?? defaultSleep;
  let apiCalls = 0;
  const send = <T>(p: () => Promise<T>): Promise<T> => {
    apiCalls += 1;
    opts.onRequest?.();
    return p();
  };
  let queryId: string | undefined;
  try {
    const started = await send(() =>
      client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: target.workGroup,
          QueryExecutionContext: { Database: target.database, Catalog: target.catalog },
          ...(target.outputLocation ? { ResultConfiguration: { OutputLocation: target.outputLocation } } : {}),
        }),
      ),
    );
    queryId = started.QueryExecutionId;
    if (!queryId) return { ok: false, state: 'NOT STARTED', reason: 'StartQueryExecution returned no query id.', scannedBytes: 0, apiCalls };
    const id = queryId;
    opts.onState?.({ finished: false, scannedBytes: 0 });
    let exec: QueryExecution | undefined;
    const began = performance.now();
    let pause = opts.firstPollMs ?? 500;
    for (;;) {
      exec = (await send(() => client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })))).QueryExecution;
      const state = exec?.Status?.State;
      if (state !== 'QUEUED' && state !== 'RUNNING') break;
      opts.onState?.({ finished: false, scannedBytes: exec?.Statistics?.DataScannedInBytes ?? 0 });
      if (performance.now() - began >= opts.maxWaitMs) {
        await send(() => client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }))).catch(() => undefined);
        return {
          ok: false,
          queryId: id,
          state: 'TIMED OUT',
          reason: `the query was still ${state} after ${Math.round(opts.maxWaitMs / 1000)} s (cloudtrail.athena.maxWaitSeconds) and was stopped.`,
          scannedBytes: exec?.Statistics?.DataScannedInBytes ?? 0,
          apiCalls,
        };
      }
      await sleep(pause);
      pause = Math.min(MAX_POLL_MS, Math.round(pause * 1.5));
    }
    const scannedBytes = exec?.Statistics?.DataScannedInBytes ?? 0;
    const state = exec?.Status?.State ?? 'UNKNOWN';
    if (state !== 'SUCCEEDED') {
      const reason = exec?.Status?.AthenaError?.ErrorMessage ?? exec?.Status?.StateChangeReason ?? 'Athena gave no reason.';
      return { ok: false, queryId: id, state, reason, scannedBytes, apiCalls };
    }
    const pageSize = opts.pageSize ?? PAGE_SIZE;
    let rowCount = 0;
    let columns: string[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const page = await send(() => client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: pageSize, ...(token ? { NextToken: token } : {}) })));
      const pageRows = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue));
      if (first) {
        columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
        // A SELECT's first row repeats the column names.
        if (pageRows.length > 0 && pageRows[0]?.join('\u0000') === columns.join('\u0000')) pageRows.shift();
        first = false;
      }
      rowCount += pageRows.length;
      token = page.NextToken;
      if (onRows?.(columns, pageRows) === false) break;
    } while (token);
    return { ok: true, queryId: id, columns, rowCount, scannedBytes, engineMs: exec?.Statistics?.EngineExecutionTimeInMillis ?? 0, apiCalls };
  } catch (e) {
    const error = describeError(e, queryId ? `athena query ${queryId}` : 'athena:StartQueryExecution');
    return { ok: false, ...(queryId ? { queryId } : {}), state: 'ERROR', reason: error.detail, error, scannedBytes: 0, apiCalls };
  }
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A quoted SQL identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

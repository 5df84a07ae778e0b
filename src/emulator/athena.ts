/**
 * Amazon Athena over awsJson1_1 (`AmazonAthena.*` targets): StartQueryExecution runs the statement in the
 * background with a real SQL engine (athena-engine.ts) over the objects in the emulator's S3;
 * GetQueryExecution reports its state, statistics and failure reason; GetQueryResults pages the result
 * set (the first row of a SELECT's first page holds the column names) and the CSV lands in the output
 * location, as Athena writes it. GetWorkGroup, GetDatabase and GetTableMetadata serve what a preflight
 * asks. Each account and region has its own catalog, as each has its own AwsDataCatalog.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { AthenaEngine, QueryFailure, type QueryResult } from './athena-engine.js';
import { splitS3Uri } from './athena-table.js';
import { crc32Base64 } from './crc32.js';
import { ServiceError, header, type ApiRequest, type HttpResponse } from './http-types.js';
import { num, obj, parseJsonBody, str, type JsonObject } from './json-body.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { jsonError, jsonResponse } from './wire.js';

const TARGET_PREFIX = 'AmazonAthena.';
const DEFAULT_CATALOG = 'AwsDataCatalog';
const MAX_RESULTS = 1000;

interface Execution {
  id: string;
  scope: string;
  query: string;
  database: string;
  catalog: string;
  workGroup: string;
  outputLocation: string;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  submitted: Date;
  completed?: Date;
  result?: QueryResult;
  failure?: QueryFailure;
  statementType: 'DDL' | 'DML';
}

export interface WorkGroupConfig {
  outputLocation?: string;
  enforce?: boolean;
  state?: 'ENABLED' | 'DISABLED';
}

interface AthenaRoom {
  dir: string;
  engines: Map<string, AthenaEngine>;
  executions: Map<string, Execution>;
  /** Idempotency: ClientRequestToken -> execution id. */
  tokens: Map<string, string>;
  /** Per "account|region": name -> configuration. Every account has "primary". */
  workGroups: Map<string, Map<string, WorkGroupConfig>>;
  running: Set<Promise<void>>;
}

const rooms = new WeakMap<EmulatorState, AthenaRoom>();

function room(state: EmulatorState): AthenaRoom {
  let r = rooms.get(state);
  if (!r) {
    r = { dir: '', engines: new Map(), executions: new Map(), tokens: new Map(), workGroups: new Map(), running: new Set() };
    rooms.set(state, r);
  }
  return r;
}

/** Adds or changes a workgroup (the emulator's stand-in for CreateWorkGroup in the console). */
export function setWorkGroup(state: EmulatorState, accountId: string, region: string, name: string, config: WorkGroupConfig): void {
  workGroupsOf(room(state), `${accountId}|${region}`).set(name, config);
}

/** Waits for running queries and removes the engine's files. */
export async function closeAthena(state: EmulatorState): Promise<void> {
  const r = rooms.get(state);
  if (!r) return;
  await Promise.allSettled([...r.running]);
  await Promise.allSettled([...r.engines.values()].map((e) => e.close()));
  if (r.dir) rmSync(r.dir, { recursive: true, force: true });
  rooms.delete(state);
}

function workGroupsOf(r: AthenaRoom, scope: string): Map<string, WorkGroupConfig> {
  let w = r.workGroups.get(scope);
  if (!w) r.workGroups.set(scope, (w = new Map([['primary', {}]])));
  return w;
}

function engineOf(r: AthenaRoom, state: EmulatorState, scope: string): AthenaEngine {
  let e = r.engines.get(scope);
  if (!e) {
    if (!r.dir) r.dir = mkdtempSync(join(tmpdir(), 'access-review-athena-'));
    e = new AthenaEngine(join(r.dir, createHash('sha1').update(scope).digest('hex').slice(0, 12)), state.s3, state.clock);
    r.engines.set(scope, e);
  }
  return e;
}

const invalid = (message: string, code = 'INVALID_INPUT'): ServiceError =>
  new ServiceError('InvalidRequestException', message, 400, { fields: { AthenaErrorCode: code } });

const scopeOf = (req: ApiRequest): string => `${req.principal.accountId}|${req.region}`;

function startQueryExecution(req: ApiRequest, state: EmulatorState): HttpResponse {
  const body = parseJsonBody(req.body);
  const query = str(body, 'QueryString');
  if (!query || query.length > 262_144) throw invalid('QueryString must be between 1 and 262144 characters.');
  const r = room(state);
  const token = str(body, 'ClientRequestToken');
  const scope = scopeOf(req);
  if (token && r.tokens.has(`${scope}|${token}`)) return jsonResponse({ QueryExecutionId: r.tokens.get(`${scope}|${token}`) }, req.requestId);
  const workGroup = str(body, 'WorkGroup') ?? 'primary';
  const wg = workGroupsOf(r, scope).get(workGroup);
  if (!wg) throw invalid(`WorkGroup ${workGroup} is not found.`);
  if (wg.state === 'DISABLED') throw invalid(`WorkGroup ${workGroup} is disabled.`);
  const given = str(obj(body.ResultConfiguration) ?? {}, 'OutputLocation');
  const outputLocation = wg.enforce ? wg.outputLocation : (given ?? wg.outputLocation);
  if (!outputLocation) {
    throw invalid('No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.');
  }
  // Athena writes results only to a bucket in its own region, and refuses the query up front otherwise:
  // https://repost.aws/knowledge-center/athena-invalid-s3-location-error ("The S3 query result location is in a
  // different Region"), https://docs.aws.amazon.com/athena/latest/ug/creating-databases-prerequisites.html
  // (the results bucket is created "using the same AWS Region ... that you are using for Athena").
  const resultBucketName = /^s3:\/\/([^/]+)/.exec(outputLocation)?.[1];
  const resultBucket = resultBucketName === undefined ? undefined : state.s3.buckets.get(resultBucketName);
  if (resultBucket && resultBucket.region !== req.region) {
    throw invalid('The S3 location provided to save your query results is invalid. Please check your S3 location is correct and is in the same region and try again. If you continue to see the issue, contact customer support for further assistance.');
  }
  const context = obj(body.QueryExecutionContext) ?? {};
  const id = randomUUID();
  const exec: Execution = {
    id,
    scope,
    query,
    database: str(context, 'Database') ?? 'default',
    catalog: str(context, 'Catalog') ?? DEFAULT_CATALOG,
    workGroup,
    outputLocation: `${outputLocation.replace(/\/+$/, '')}/${id}.csv`,
    state: 'QUEUED',
    submitted: state.clock(),
    statementType: /^\s*(select|with|\()/i.test(query) ? 'DML' : 'DDL',
  };
  r.executions.set(id, exec);
  if (token) r.tokens.set(`${scope}|${token}`, id);
  const run = execute(exec, state).finally(() => r.running.delete(run));
  r.running.add(run);
  return jsonResponse({ QueryExecutionId: id }, req.requestId);
}

/** Read through a function: StopQueryExecution changes the state while the engine runs. */
const cancelled = (exec: Execution): boolean => exec.state === 'CANCELLED';

async function execute(exec: Execution, state: EmulatorState): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const r = room(state);
  if (cancelled(exec)) return;
  exec.state = 'RUNNING';
  try {
    if (exec.catalog.toLowerCase() !== DEFAULT_CATALOG.toLowerCase()) throw new QueryFailure(`CATALOG_NOT_FOUND: Catalog '${exec.catalog}' does not exist`, 2, 1301);
    const engine = engineOf(r, state, exec.scope);
    if (!engine.hasDatabase(exec.database)) throw new QueryFailure(`SCHEMA_NOT_FOUND: Schema '${exec.database}' does not exist`, 2, 1301);
    const result = await engine.run(exec.query, exec.database);
    if (cancelled(exec)) return;
    if (result.statementType === 'DML') writeCsv(state, exec, result);
    exec.result = result;
    exec.statementType = result.statementType;
    exec.state = 'SUCCEEDED';
  } catch (e) {
    if (cancelled(exec)) return;
    exec.failure = e instanceof QueryFailure ? e : new QueryFailure(`GENERIC_INTERNAL_ERROR: ${(e as Error).message}`, 1, 401);
    exec.state = 'FAILED';
  }
  exec.completed = state.clock();
}

const csvField = (v: string | null): string => (v === null ? '' : `"${v.replace(/"/g, '""')}"`);

/** Athena writes every SELECT's result as CSV (header first) to the output location. */
function writeCsv(state: EmulatorState, exec: Execution, result: QueryResult): void {
  const { bucket, prefix: key } = splitS3Uri(exec.outputLocation);
  const b = state.s3.buckets.get(bucket);
  if (!b) throw new QueryFailure(`Unable to verify/create output bucket ${bucket}`, 2, 1301);
  const text = [result.columns.map((c) => csvField(c.name)), ...result.rows.map((row) => row.map(csvField))].map((l) => l.join(',')).join('\n') + '\n';
  const body = Buffer.from(text, 'utf8');
  b.objects.set(key, {
    body,
    contentType: 'text/csv',
    metadata: {},
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
    lastModified: state.clock(),
    crc32: crc32Base64(body),
    serverSideEncryption: 'AES256',
  });
}

function execution(req: ApiRequest, state: EmulatorState, body: JsonObject): Execution {
  const id = str(body, 'QueryExecutionId') ?? '';
  const exec = room(state).executions.get(id);
  if (!exec || exec.scope !== scopeOf(req)) throw invalid(`QueryExecution ${id} was not found`);
  return exec;
}

function getQueryExecution(req: ApiRequest, state: EmulatorState): HttpResponse {
  const exec = execution(req, state, parseJsonBody(req.body));
  const ms = (exec.completed ?? state.clock()).getTime() - exec.submitted.getTime();
  return jsonResponse(
    {
      QueryExecution: {
        QueryExecutionId: exec.id,
        Query: exec.query,
        StatementType: exec.statementType,
        ResultConfiguration: { OutputLocation: exec.outputLocation },
        QueryExecutionContext: { Database: exec.database, Catalog: exec.catalog },
        Status: {
          State: exec.state,
          SubmissionDateTime: exec.submitted.getTime() / 1000,
          ...(exec.completed ? { CompletionDateTime: exec.completed.getTime() / 1000 } : {}),
          ...(exec.failure
            ? {
                StateChangeReason: exec.failure.message,
                AthenaError: { ErrorCategory: exec.failure.category, ErrorType: exec.failure.errorType, Retryable: exec.failure.category === 1, ErrorMessage: exec.failure.message },
              }
            : {}),
        },
        Statistics: {
          EngineExecutionTimeInMillis: ms,
          DataScannedInBytes: exec.result?.scannedBytes ?? 0,
          TotalExecutionTimeInMillis: ms,
          QueryQueueTimeInMillis: 0,
        },
        WorkGroup: exec.workGroup,
        EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
      },
    },
    req.requestId,
  );
}

/** A stopped query keeps its CANCELLED state even if the engine finishes it afterwards. */
function stopQueryExecution(req: ApiRequest, state: EmulatorState): HttpResponse {
  const exec = execution(req, state, parseJsonBody(req.body));
  if (exec.state === 'QUEUED' || exec.state === 'RUNNING') {
    exec.state = 'CANCELLED';
    exec.completed = state.clock();
  }
  return jsonResponse({}, req.requestId);
}

function getQueryResults(req: ApiRequest, state: EmulatorState): HttpResponse {
  const body = parseJsonBody(req.body);
  const exec = execution(req, state, body);
  if (exec.state !== 'SUCCEEDED' || !exec.result) {
    throw invalid(exec.state === 'FAILED' ? `Query did not finish successfully. Final query state: FAILED\n${exec.failure?.message ?? ''}` : `Query has not yet finished. Current state: ${exec.state}`);
  }
  const max = num(body, 'MaxResults') ?? MAX_RESULTS;
  if (max < 1 || max > MAX_RESULTS) throw invalid(`MaxResults must be between 1 and ${MAX_RESULTS}.`);
  const result = exec.result;
  const header = result.statementType === 'DML' ? [result.columns.map((c) => c.name)] : [];
  const all = [...header, ...result.rows];
  const tokenText = str(body, 'NextToken');
  let offset = 0;
  if (tokenText) {
    const m = /^([0-9a-f-]{36}):(\d+)$/.exec(Buffer.from(tokenText, 'base64').toString('utf8'));
    if (!m || m[1] !== exec.id) throw invalid('The NextToken is not valid for this query.');
    offset = Number(m[2]);
  }
  const page = all.slice(offset, offset + max);
  const next = offset + max < all.length ? Buffer.from(`${exec.id}:${offset + max}`).toString('base64') : undefined;
  return jsonResponse(
    {
      UpdateCount: 0,
      ResultSet: {
        Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: {
          ColumnInfo: result.columns.map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c.name, Label: c.name, Type: c.type, Precision: 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: c.type === 'varchar' })),
        },
      },
      ...(next ? { NextToken: next } : {}),
    },
    req.requestId,
  );
}

function getWorkGroup(req: ApiRequest, state: EmulatorState): HttpResponse {
  const name = str(parseJsonBody(req.body), 'WorkGroup') ?? '';
  const wg = workGroupsOf(room(state), scopeOf(req)).get(name);
  if (!wg) throw invalid(`WorkGroup ${name} is not found.`);
  return jsonResponse(
    {
      WorkGroup: {
        Name: name,
        State: wg.state ?? 'ENABLED',
        Configuration: {
          ...(wg.outputLocation ? { ResultConfiguration: { OutputLocation: wg.outputLocation } } : {}),
          EnforceWorkGroupConfiguration: wg.enforce ?? false,
          PublishCloudWatchMetricsEnabled: false,
          RequesterPaysEnabled: false,
          EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
        },
        CreationTime: Date.parse(state.org.now) / 1000 - 86_400 * 365,
      },
    },
    req.requestId,
  );
}

const metadataError = (message: string): ServiceError => new ServiceError('MetadataException', message, 400);

function catalogArgs(req: ApiRequest): { catalog: string; database: string; table?: string } {
  const body = parseJsonBody(req.body);
  const catalog = str(body, 'CatalogName') ?? '';
  if (catalog.toLowerCase() !== DEFAULT_CATALOG.toLowerCase()) throw metadataError(`Catalog ${catalog} not found`);
  const table = str(body, 'TableName');
  return { catalog, database: (str(body, 'DatabaseName') ?? '').toLowerCase(), ...(table !== undefined ? { table: table.toLowerCase() } : {}) };
}

function getDatabase(req: ApiRequest, state: EmulatorState): HttpResponse {
  const { database } = catalogArgs(req);
  if (!engineOf(room(state), state, scopeOf(req)).hasDatabase(database)) throw metadataError(`Database ${database} not found.`);
  return jsonResponse({ Database: { Name: database, Parameters: {} } }, req.requestId);
}

function getTableMetadata(req: ApiRequest, state: EmulatorState): HttpResponse {
  const { database, table } = catalogArgs(req);
  const engine = engineOf(room(state), state, scopeOf(req));
  if (!engine.hasDatabase(database)) throw metadataError(`Database ${database} not found.`);
  const def = table ? engine.table(database, table) : undefined;
  if (!def) throw metadataError(`Table ${table ?? ''} not found in database ${database}.`);
  const { columns, partitionKeys } = AthenaEngine.columnsOf(def);
  return jsonResponse(
    {
      TableMetadata: {
        Name: def.name,
        TableType: 'EXTERNAL_TABLE',
        Columns: columns,
        PartitionKeys: partitionKeys,
        Parameters: { EXTERNAL: 'TRUE', location: def.location, ...(def.inputFormat ? { inputformat: def.inputFormat } : {}), ...(def.serde ? { 'serde.serialization.lib': def.serde } : {}), ...def.properties },
      },
    },
    req.requestId,
  );
}

export const athenaService: ServiceModule = {
  name: 'athena',
  operation(raw: RawRequest): string {
    const target = header(raw.headers, 'x-amz-target') ?? '';
    return target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : 'Unknown';
  },
  handle(req, state) {
    switch (req.operation) {
      case 'StartQueryExecution':
        return startQueryExecution(req, state);
      case 'GetQueryExecution':
        return getQueryExecution(req, state);
      case 'GetQueryResults':
        return getQueryResults(req, state);
      case 'StopQueryExecution':
        return stopQueryExecution(req, state);
      case 'GetWorkGroup':
        return getWorkGroup(req, state);
      case 'GetDatabase':
        return getDatabase(req, state);
      case 'GetTableMetadata':
        return getTableMetadata(req, state);
      default:
        throw new ServiceError('UnknownOperationException', `Operation ${req.operation} is not supported by this emulator.`, 400);
    }
  },
  renderError(err, _raw, requestId) {
    return jsonError(err, requestId, { messageKey: 'Message' });
  },
};

/**
 * The SQL engine behind the emulated Athena: DuckDB (embedded, in process, no extension downloads — JSON
 * support is built into its npm build) runs the statements the client sends. An external table is a view
 * over local newline-delimited JSON files that this module writes from the table's S3 objects, read as
 * Athena's SerDe and partition projection would read them (athena-table.ts). Trino functions DuckDB lacks
 * or spells differently are defined as macros, so the client's Athena SQL runs as sent.
 *
 * DuckDB is a development dependency, loaded on the first Athena request: the emulator serves every other
 * service without it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DdlError, duckType, hiveTypeText, parseCreateExternalTable, statementKind, type TableDef } from './athena-ddl.js';
import { BadDataError, checkSupported, documentsOf, partitionMatcher, serdeRecord } from './athena-table.js';
import type { S3Store } from './s3-store.js';

type DuckModule = typeof import('@duckdb/node-api');
type Instance = Awaited<ReturnType<DuckModule['DuckDBInstance']['create']>>;
type Connection = Awaited<ReturnType<Instance['connect']>>;

/** Trino's spelling of what DuckDB has under another name or shape. */
const MACROS = [
  `CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
  `CREATE MACRO from_iso8601_date(s) AS CAST(s AS DATE)`,
  `CREATE MACRO to_iso8601(t) AS strftime(timezone('UTC', t), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  // Trino: NULL for invalid JSON and for objects or arrays; DuckDB would raise or return their text.
  `CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_valid(j) AND coalesce(json_type(j, p), 'NULL') NOT IN ('OBJECT', 'ARRAY', 'NULL') THEN json_extract_string(j, p) END`,
  `CREATE MACRO cardinality(x) AS len(x)`,
  // Trino: NULL past the end of an array (DuckDB's subscript agrees); DuckDB's own element_at is for maps.
  `CREATE MACRO element_at(x, i) AS x[i]`,
  `CREATE MACRO approx_distinct(x) AS approx_count_distinct(x)`,
  `CREATE MACRO arbitrary(x) AS any_value(x)`,
];
const FUNCTIONS_SCHEMA = 'athena_functions';

export interface QueryResult {
  statementType: 'DDL' | 'DML';
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
  /** Compressed bytes of the table files the statement read. */
  scannedBytes: number;
}

/** An error Athena reports as the query's failure reason (the client sees it in GetQueryExecution). */
export class QueryFailure extends Error {
  constructor(
    message: string,
    readonly category: 1 | 2 | 3,
    readonly errorType: number,
  ) {
    super(message);
  }
}

interface TableFiles {
  def: TableDef;
  /** The engine table holding the rows (schema-qualified, quoted). */
  data: string;
  /** read_json's `columns` for a batch of rows. */
  jsonColumns: string;
  /** S3 key -> the etag whose rows are loaded. */
  loaded: Map<string, string>;
  /** One row per S3 object in the table (its key, compressed size and partition values), for what a query read. */
  files: string;
}

const DATA_SCHEMA = 'athena_data';
/** Each row's S3 object, so a changed or deleted object's rows can be replaced. */
const SOURCE_COLUMN = '$path';
/** The files table's size column ($ keeps it apart from any partition column). */
const BYTES_COLUMN = '$bytes';
/** Rows handed to the engine at once while loading: bounds the loader's memory. */
const BATCH_ROWS = 50_000;

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

let duck: Promise<DuckModule> | undefined;
function loadDuckDb(): Promise<DuckModule> {
  duck ??= import('@duckdb/node-api').catch((e: unknown) => {
    duck = undefined;
    throw new QueryFailure(engineProblem(e), 1, 401);
  });
  return duck;
}

/** Why the engine did not load, in one line: not installed (the production image) or broken. */
export function engineProblem(e: unknown): string {
  const engine = "DuckDB (@duckdb/node-api), the SQL engine of the emulator's Athena,";
  const err = e as { code?: unknown; message?: unknown };
  if (err?.code === 'ERR_MODULE_NOT_FOUND') return `${engine} is not installed: it is a development dependency, which the container image leaves out`;
  const first = String(err?.message ?? e).split('\n')[0] ?? '';
  return `${engine} could not be loaded: ${first}`;
}

/** Undefined when the engine loads, else why the emulator cannot serve Athena (asked before a demo starts). */
export async function athenaEngineProblem(): Promise<string | undefined> {
  try {
    await loadDuckDb();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** One account and region's Athena: its data catalog (databases, tables) and the engine that runs queries. */
export class AthenaEngine {
  private readonly tables = new Map<string, TableFiles>();
  private readonly databases = new Set<string>(['default']);
  private conn: Promise<Connection> | undefined;
  private instance: Instance | undefined;
  /** Statements run one at a time: the catalog and the table files must not change under a running query. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly s3: S3Store,
    private readonly clock: () => Date,
  ) {}

  private connection(): Promise<Connection> {
    this.conn ??= (async () => {
      const { DuckDBInstance } = await loadDuckDb();
      mkdirSync(this.dir, { recursive: true });
      // On disk, in the emulator's temporary folder: a large trail's rows need not all fit in memory.
      const instance = await DuckDBInstance.create(join(this.dir, 'catalog.duckdb'), {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        threads: '2',
        memory_limit: '1GB',
      });
      this.instance = instance;
      const c = await instance.connect();
      await c.run(`SET TimeZone = 'UTC'`);
      await c.run(`CREATE SCHEMA ${FUNCTIONS_SCHEMA}`);
      for (const m of MACROS) await c.run(m.replace('CREATE MACRO ', `CREATE MACRO ${FUNCTIONS_SCHEMA}.`));
      await c.run(`CREATE SCHEMA IF NOT EXISTS "default"`);
      await c.run(`CREATE SCHEMA ${DATA_SCHEMA}`);
      return c;
    })();
    return this.conn;
  }

  /** Ends the engine once the statements queued have run; the emulator then removes its folder. */
  async close(): Promise<void> {
    await this.queue;
    if (!this.conn) return;
    const c = await this.conn.catch(() => undefined);
    c?.closeSync();
    this.instance?.closeSync();
    this.conn = undefined;
    this.instance = undefined;
  }

  hasDatabase(name: string): boolean {
    return this.databases.has(name.toLowerCase());
  }

  table(database: string, name: string): TableDef | undefined {
    return this.tables.get(`${database.toLowerCase()}.${name.toLowerCase()}`)?.def;
  }

  run(sql: string, database: string): Promise<QueryResult> {
    const next = this.queue.then(() => this.execute(sql, database.toLowerCase()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async execute(sql: string, database: string): Promise<QueryResult> {
    const kind = statementKind(sql);
    try {
      if (kind.startsWith('CREATE EXTERNAL TABLE')) return await this.createTable(parseCreateExternalTable(sql), database);
      const db = /^CREATE (?:DATABASE|SCHEMA)\b/i.test(kind) ? /^\s*CREATE\s+(?:DATABASE|SCHEMA)\s+(IF\s+NOT\s+EXISTS\s+)?[`"]?([\w-]+)/i.exec(sql) : null;
      if (db) return await this.createDatabase((db[2] as string).toLowerCase(), Boolean(db[1]));
      const drop = /^\s*DROP\s+TABLE\s+(IF\s+EXISTS\s+)?(?:[`"]?([\w-]+)[`"]?\.)?[`"]?([\w-]+)/i.exec(sql);
      if (drop) return await this.dropTable((drop[2] ?? database).toLowerCase(), (drop[3] as string).toLowerCase(), Boolean(drop[1]));
      if (kind.startsWith('SELECT') || kind.startsWith('WITH') || kind.startsWith('(')) return await this.select(sql, database);
    } catch (e) {
      if (e instanceof QueryFailure) throw e;
      if (e instanceof DdlError) throw new QueryFailure(`FAILED: ParseException ${e.message}`, 2, 1301);
      if (e instanceof BadDataError) throw new QueryFailure(e.message, 2, 1305);
      throw new QueryFailure(translateEngineError((e as Error).message), 2, 1300);
    }
    throw new QueryFailure(`The emulator runs SELECT, CREATE EXTERNAL TABLE, CREATE DATABASE and DROP TABLE; not: ${sql.slice(0, 60)}`, 2, 1301);
  }

  private async createDatabase(name: string, ifNotExists: boolean): Promise<QueryResult> {
    if (this.databases.has(name) && !ifNotExists) throw new QueryFailure(`FAILED: AlreadyExistsException Database ${name} already exists`, 2, 1301);
    this.databases.add(name);
    await (await this.connection()).run(`CREATE SCHEMA IF NOT EXISTS ${quote(name)}`);
    return ddlResult();
  }

  private async dropTable(database: string, name: string, ifExists: boolean): Promise<QueryResult> {
    const key = `${database}.${name}`;
    const t = this.tables.get(key);
    if (!t) {
      if (ifExists) return ddlResult();
      throw new QueryFailure(`FAILED: SemanticException [Error 10001]: Table not found ${database}.${name}`, 2, 1301);
    }
    this.tables.delete(key);
    const c = await this.connection();
    await c.run(`DROP VIEW IF EXISTS ${quote(database)}.${quote(name)}`);
    await c.run(`DROP TABLE IF EXISTS ${t.data}`);
    await c.run(`DROP TABLE IF EXISTS ${t.files}`);
    return ddlResult();
  }

  private async createTable(def: TableDef, contextDb: string): Promise<QueryResult> {
    const database = def.database ?? contextDb;
    if (!this.databases.has(database)) throw new QueryFailure(`FAILED: SemanticException [Error 10072]: Database does not exist: ${database}`, 2, 1301);
    const key = `${database}.${def.name}`;
    if (this.tables.has(key)) {
      if (def.ifNotExists) return ddlResult();
      throw new QueryFailure(`FAILED: AlreadyExistsException Table ${def.name} already exists`, 2, 1301);
    }
    checkSupported(def);
    partitionMatcher(def, this.clock());
    // The rows live in a table of their own schema, keyed by the S3 object they came from; the catalog shows
    // a view over it with exactly the DDL's columns and partitions.
    const id = createHash('sha1').update(key).digest('hex').slice(0, 16);
    const data = `${DATA_SCHEMA}.${quote(`t_${id}`)}`;
    const files = `${DATA_SCHEMA}.${quote(`f_${id}`)}`;
    const columns = [...def.columns.map((c) => ({ name: c.name, type: duckType(c.type) })), ...def.partitions.map((p) => ({ name: p.name, type: 'VARCHAR' }))];
    const c = await this.connection();
    await c.run(`CREATE TABLE ${data} (${[...columns.map((col) => `${quote(col.name)} ${col.type}`), `${quote(SOURCE_COLUMN)} VARCHAR`].join(', ')})`);
    await c.run(`CREATE VIEW ${quote(database)}.${quote(def.name)} AS SELECT ${columns.map((col) => quote(col.name)).join(', ')} FROM ${data}`);
    await c.run(`CREATE TABLE ${files} (${[SOURCE_COLUMN, ...def.partitions.map((p) => p.name)].map((n) => `${quote(n)} VARCHAR`).join(', ')}, ${quote(BYTES_COLUMN)} BIGINT)`);
    const jsonColumns = `{${[...columns.map((col) => `${literal(col.name)}: ${literal(col.type)}`), `${literal(SOURCE_COLUMN)}: 'VARCHAR'`].join(', ')}}`;
    this.tables.set(key, { def: { ...def, database }, data, jsonColumns, loaded: new Map(), files });
    return ddlResult();
  }

  /**
   * Brings a table's rows in line with its S3 objects: objects new or changed since the last query are read
   * through the SerDe and loaded in batches, objects gone are dropped; the files table then lists the objects
   * now in the table.
   */
  private async sync(t: TableFiles): Promise<void> {
    const c = await this.connection();
    const matcher = partitionMatcher(t.def, this.clock());
    const bucket = this.s3.buckets.get(matcher.bucket);
    const seen = new Set<string>();
    const stale: string[] = [];
    const fileRows: string[] = [];
    let batch: string[] = [];
    let batchRows = 0;
    let batchNo = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const file = join(this.dir, `batch-${batchNo++}.ndjson`);
      writeFileSync(file, batch.join(''));
      batch = [];
      batchRows = 0;
      try {
        await c.run(`INSERT INTO ${t.data} SELECT * FROM read_json(${literal(file)}, format = 'newline_delimited', columns = ${t.jsonColumns})`);
      } finally {
        rmSync(file, { force: true });
      }
    };
    try {
      for (const [key, obj] of bucket?.objects ?? []) {
        if (!key.startsWith(matcher.prefix)) continue;
        const partition = matcher.match(key);
        if (!partition) continue;
        seen.add(key);
        fileRows.push(`${JSON.stringify({ ...partition, [SOURCE_COLUMN]: key, [BYTES_COLUMN]: obj.body.length })}\n`);
        const had = t.loaded.get(key);
        if (had === obj.etag) continue;
        if (had !== undefined) stale.push(key);
        const docs = documentsOf(t.def, obj.body, `s3://${matcher.bucket}/${key}`);
        for (const doc of docs) {
          const row = serdeRecord(doc, t.def.columns);
          for (const p of t.def.partitions) row[p.name] = partition[p.name] ?? null;
          row[SOURCE_COLUMN] = key;
          batch.push(`${JSON.stringify(row)}\n`);
        }
        batchRows += docs.length;
        t.loaded.set(key, obj.etag);
        if (batchRows >= BATCH_ROWS) {
          await this.dropRows(t, stale.splice(0));
          await flush();
        }
      }
    } catch (e) {
      // The objects read before the bad one stay loaded: the next query reads only what is left.
      await this.dropRows(t, stale);
      await flush();
      throw e;
    }
    for (const key of t.loaded.keys()) if (!seen.has(key)) stale.push(key);
    for (const key of stale) if (!seen.has(key)) t.loaded.delete(key);
    await this.dropRows(t, stale);
    await flush();
    await c.run(`DELETE FROM ${t.files}`);
    if (fileRows.length > 0) {
      const file = join(this.dir, `files-${batchNo++}.ndjson`);
      writeFileSync(file, fileRows.join(''));
      try {
        await c.run(`INSERT INTO ${t.files} BY NAME SELECT * FROM read_json(${literal(file)}, format = 'newline_delimited', columns = {${[SOURCE_COLUMN, ...t.def.partitions.map((p) => p.name)].map((n) => `${literal(n)}: 'VARCHAR'`).join(', ')}, ${literal(BYTES_COLUMN)}: 'BIGINT'})`);
      } finally {
        rmSync(file, { force: true });
      }
    }
  }

  private async dropRows(t: TableFiles, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const c = await this.connection();
    for (let i = 0; i < keys.length; i += 500) {
      await c.run(`DELETE FROM ${t.data} WHERE ${quote(SOURCE_COLUMN)} IN (${keys.slice(i, i + 500).map(literal).join(', ')})`);
    }
  }

  private async select(sql: string, database: string): Promise<QueryResult> {
    const c = await this.connection();
    const lowered = sql.toLowerCase();
    const named = [...this.tables.values()].filter((t) => lowered.includes(t.def.name));
    for (const t of named) await this.sync(t);
    await c.run(`SET search_path = ${literal(`${quote(database)},${FUNCTIONS_SCHEMA},main`)}`);
    const statement = sql.replace(/;\s*$/, '');
    const scannedBytes = await this.bytesRead(c, statement, named);
    const reader = await c.runAndReadAll(statement);
    const names = reader.columnNames();
    const types = reader.columnTypes().map((t) => athenaType(String(t)));
    const rows = reader.getRowsJson().map((row) => row.map((v) => varchar(v)));
    return { statementType: 'DML', columns: names.map((name, i) => ({ name, type: types[i] ?? 'varchar' })), rows, scannedBytes };
  }

  /**
   * What Athena would read for the statement, asked of DuckDB's own plan rather than the statement's text:
   * each scan of a table's rows carries the filters the optimizer pushed into it, and those that are about
   * partition columns only select the S3 objects that scan reads (Athena reads a chosen object whole, so its
   * compressed size is what counts). A partition column projected as "injected" has no values of its own:
   * a scan without a static equality filter on it fails as Athena fails it.
   */
  private async bytesRead(c: Connection, statement: string, tables: readonly TableFiles[]): Promise<number> {
    if (tables.length === 0) return 0;
    // Without statistics propagation: DuckDB would otherwise drop a scan its statistics prove empty (a
    // condition on the records' contents no row meets), and Athena still reads those files.
    await c.run(`SET disabled_optimizers = 'statistics_propagation'`);
    const plan = await c.runAndReadAll(`EXPLAIN (FORMAT JSON) ${statement}`).finally(() => c.run(`RESET disabled_optimizers`));
    const scans = seqScans(plan.getRowsJson().map((r) => String(r[1] ?? '')));
    let bytes = 0;
    for (const t of tables) {
      const tableName = t.data.split('.').at(-1)?.replace(/"/g, '') ?? '';
      for (const scan of scans.filter((s) => s.table === tableName || s.table.endsWith(`.${tableName}`))) {
        const partitionFilters: string[] = [];
        for (const f of scan.filters) if (await binds(c, `SELECT 1 FROM ${t.files} WHERE ${f} LIMIT 0`)) partitionFilters.push(f);
        for (const p of t.def.partitions) {
          if (t.def.properties[`projection.${p.name}.type`]?.trim().toLowerCase() !== 'injected') continue;
          const only = `(SELECT NULL::VARCHAR AS ${quote(p.name)})`;
          const onIt: string[] = [];
          for (const f of partitionFilters) if (await binds(c, `SELECT 1 FROM ${only} WHERE ${f} LIMIT 0`)) onIt.push(f);
          const equality = new RegExp(`^\\(*"?${p.name}"?\\s*(=\\s*'|IN\\s*\\()`, 'i');
          if (onIt.length === 0 || !onIt.every((f) => equality.test(f))) {
            throw new QueryFailure(
              `CONSTRAINT_VIOLATION: For the injected projected partition column ${p.name}, the WHERE clause must contain only static equality conditions, and at least one such condition must be present.`,
              2,
              1301,
            );
          }
        }
        const where = partitionFilters.length > 0 ? ` WHERE ${partitionFilters.map((f) => `(${f})`).join(' AND ')}` : '';
        const sum = await c.runAndReadAll(`SELECT coalesce(sum(${quote(BYTES_COLUMN)}), 0) FROM ${t.files}${where}`);
        bytes += Number(sum.getRows()[0]?.[0] ?? 0);
      }
    }
    return bytes;
  }

  /** The table's columns as Athena's GetTableMetadata lists them. */
  static columnsOf(def: TableDef): { columns: { Name: string; Type: string }[]; partitionKeys: { Name: string; Type: string }[] } {
    return {
      columns: def.columns.map((c) => ({ Name: c.name, Type: hiveTypeText(c.type) })),
      partitionKeys: def.partitions.map((p) => ({ Name: p.name, Type: hiveTypeText(p.type) })),
    };
  }
}

/** The table scans of an EXPLAIN (FORMAT JSON) plan: which table each reads, with the filters pushed into it. */
function seqScans(planTexts: readonly string[]): { table: string; filters: string[] }[] {
  interface Node {
    name?: string;
    children?: Node[];
    extra_info?: { Table?: string; Filters?: string | string[] };
  }
  const out: { table: string; filters: string[] }[] = [];
  const walk = (n: Node): void => {
    const table = n.extra_info?.Table;
    if (table && /SCAN/.test(n.name ?? '')) {
      const raw = n.extra_info?.Filters;
      const filters = (raw === undefined ? [] : Array.isArray(raw) ? raw : raw.split('\n')).map((f) => f.replace(/^optional:\s*/, '').trim()).filter((f) => f.length > 0);
      out.push({ table, filters });
    }
    for (const child of n.children ?? []) walk(child);
  };
  for (const text of planTexts) for (const n of JSON.parse(text) as Node[]) walk(n);
  return out;
}

/** Whether the statement binds (names only columns that are there); nothing is read. */
async function binds(c: Connection, statement: string): Promise<boolean> {
  try {
    await c.run(statement);
    return true;
  } catch {
    return false;
  }
}

function ddlResult(): QueryResult {
  return { statementType: 'DDL', columns: [], rows: [], scannedBytes: 0 };
}

/** DuckDB's errors in the words an Athena user would recognise, keeping DuckDB's detail. */
function translateEngineError(message: string): string {
  if (/Catalog Error: Table with name (\S+) does not exist/.test(message)) {
    const name = /Table with name (\S+) does not exist/.exec(message)?.[1] ?? '';
    return `TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.${name}' does not exist (${message.split('\n')[0]})`;
  }
  if (/Parser Error/.test(message)) return `SYNTAX_ERROR: ${message.split('\n')[0]}`;
  if (/Binder Error/.test(message)) return `COLUMN_NOT_FOUND or type mismatch: ${message.split('\n')[0]}`;
  return `GENERIC_INTERNAL_ERROR: ${message.split('\n')[0]}`;
}

function athenaType(duckType: string): string {
  const t = duckType.toUpperCase();
  if (t === 'VARCHAR') return 'varchar';
  if (t === 'BIGINT' || t === 'HUGEINT') return 'bigint';
  if (t === 'INTEGER') return 'integer';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DOUBLE' || t === 'FLOAT') return 'double';
  if (t.startsWith('DECIMAL')) return 'decimal';
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'timestamp with time zone';
  if (t === 'TIMESTAMP') return 'timestamp';
  if (t === 'DATE') return 'date';
  if (t.endsWith('[]')) return 'array';
  if (t.startsWith('STRUCT')) return 'row';
  if (t.startsWith('MAP')) return 'map';
  return t.toLowerCase();
}

function varchar(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

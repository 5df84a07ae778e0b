/**
 * How an external table's S3 objects become rows, as Athena reads them: partition projection (the values of
 * the partition columns come from the object's key, matched against storage.location.template, and only
 * values inside the projection exist), the input format (CloudTrail's splits each log file's Records array
 * into rows; otherwise one JSON document a line) and the JSON SerDe (keys matched to columns without regard
 * to case, nested objects read into STRING columns as their JSON text).
 */
import { gunzipSync } from 'node:zlib';
import { DdlError, type Column, type HiveType, type TableDef } from './athena-ddl.js';

export const CLOUDTRAIL_INPUT_FORMAT = 'com.amazon.emr.cloudtrail.CloudTrailInputFormat';
const JSON_SERDES = new Set(['org.apache.hive.hcatalog.data.JsonSerDe', 'org.openx.data.jsonserde.JsonSerDe', 'com.amazon.emr.hive.serde.CloudTrailSerde']);

/** A row could not be read: Athena fails the query with HIVE_BAD_DATA and names the file. */
export class BadDataError extends Error {}

export function checkSupported(def: TableDef): void {
  if (def.serde && !JSON_SERDES.has(def.serde)) throw new DdlError(`The emulator reads JSON tables only; SerDe ${def.serde} is not supported.`);
  if (def.partitions.length > 0 && def.properties['projection.enabled']?.trim().toLowerCase() !== 'true') {
    throw new DdlError('The emulator serves partitioned tables through partition projection only (projection.enabled = true).');
  }
  for (const p of def.partitions) {
    const type = def.properties[`projection.${p.name}.type`]?.trim().toLowerCase();
    if (!type || !['enum', 'injected', 'date', 'integer'].includes(type)) throw new DdlError(`Partition projection: projection.${p.name}.type is missing or not supported.`);
  }
  if (def.partitions.length > 0 && !def.properties['storage.location.template']) {
    throw new DdlError('Partition projection needs storage.location.template (the emulator does not guess the default layout).');
  }
}

/** Bucket and key prefix of an s3:// URI. */
export function splitS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new DdlError(`Not an s3:// URI: ${uri}`);
  return { bucket: m[1] as string, prefix: m[2] as string };
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A Java date pattern (projection.<col>.format) as a regular expression over the partition's text. */
function dateFormatRe(format: string): string {
  return format.replace(/yyyy|MM|dd|HH|mm|ss|[^A-Za-z]+|[A-Za-z]+/g, (part) => {
    switch (part) {
      case 'yyyy':
        return '\\d{4}';
      case 'MM':
      case 'dd':
      case 'HH':
      case 'mm':
      case 'ss':
        return '\\d{2}';
      default:
        return escapeRe(part);
    }
  });
}

/** A date partition's text as an ISO day (or instant), for range checks. */
function dateValue(format: string, text: string): string | undefined {
  const parts: Record<string, string> = {};
  let re = '';
  const order: string[] = [];
  for (const part of format.match(/yyyy|MM|dd|HH|mm|ss|[^A-Za-z]+|[A-Za-z]+/g) ?? []) {
    if (['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss'].includes(part)) {
      re += part === 'yyyy' ? '(\\d{4})' : '(\\d{2})';
      order.push(part);
    } else re += escapeRe(part);
  }
  const m = new RegExp(`^${re}$`).exec(text);
  if (!m) return undefined;
  order.forEach((p, i) => (parts[p] = m[i + 1] as string));
  return `${parts.yyyy ?? '0000'}-${parts.MM ?? '01'}-${parts.dd ?? '01'}T${parts.HH ?? '00'}:${parts.mm ?? '00'}:${parts.ss ?? '00'}`;
}

/** 'NOW', 'NOW-3DAYS' or a date in the column's format, as an ISO instant. */
function rangeBound(format: string, text: string, now: Date): string | undefined {
  const t = text.trim();
  const rel = /^NOW(?:\s*([+-])\s*(\d+)\s*(YEAR|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND)S?)?$/i.exec(t);
  if (rel) {
    const unitMs: Record<string, number> = { YEAR: 365 * 86_400_000, MONTH: 30 * 86_400_000, WEEK: 7 * 86_400_000, DAY: 86_400_000, HOUR: 3_600_000, MINUTE: 60_000, SECOND: 1000 };
    const delta = rel[1] ? (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * (unitMs[(rel[3] as string).toUpperCase()] ?? 0) : 0;
    return new Date(now.getTime() + delta).toISOString().slice(0, 19);
  }
  return dateValue(format, t);
}

export interface PartitionMatcher {
  /** The location's bucket and the key prefix every file of the table starts with. */
  bucket: string;
  prefix: string;
  /** The partition values of an object, or undefined when it is not a file of a projected partition. */
  match(key: string): Record<string, string> | undefined;
}

export function partitionMatcher(def: TableDef, now: Date): PartitionMatcher {
  if (def.partitions.length === 0) {
    const { bucket, prefix } = splitS3Uri(def.location);
    return { bucket, prefix, match: (key) => (key.startsWith(prefix) ? {} : undefined) };
  }
  const template = def.properties['storage.location.template'] as string;
  const { bucket, prefix: templatePath } = splitS3Uri(template);
  const names: string[] = [];
  let re = '';
  let last = 0;
  for (const m of templatePath.matchAll(/\$\{([^}]+)\}/g)) {
    re += escapeRe(templatePath.slice(last, m.index));
    const col = (m[1] as string).toLowerCase();
    const type = def.properties[`projection.${col}.type`]?.trim().toLowerCase();
    const format = def.properties[`projection.${col}.format`];
    re += type === 'date' && format ? `(${dateFormatRe(format)})` : type === 'integer' ? '(-?\\d+)' : '([^/]+)';
    names.push(col);
    last = m.index + m[0].length;
  }
  re += escapeRe(templatePath.slice(last).replace(/\/+$/, ''));
  const pattern = new RegExp(`^${re}/`);
  const firstVar = templatePath.indexOf('${');
  const prefix = firstVar < 0 ? templatePath : templatePath.slice(0, firstVar);
  const checks = names.map((col) => partitionCheck(def, col, now));
  return {
    bucket,
    prefix,
    match(key) {
      const m = pattern.exec(key);
      if (!m) return undefined;
      const values: Record<string, string> = {};
      for (let i = 0; i < names.length; i += 1) {
        const v = m[i + 1] as string;
        if (!(checks[i] as (v: string) => boolean)(v)) return undefined;
        values[names[i] as string] = v;
      }
      return values;
    },
  };
}

/** Whether a value lies inside the column's projection: outside it, Athena never looks. */
function partitionCheck(def: TableDef, col: string, now: Date): (v: string) => boolean {
  const prop = (k: string): string | undefined => def.properties[`projection.${col}.${k}`];
  const type = prop('type')?.trim().toLowerCase();
  if (type === 'enum') {
    const values = new Set((prop('values') ?? '').split(','));
    return (v) => values.has(v);
  }
  if (type === 'integer') {
    const [lo, hi] = (prop('range') ?? '').split(',').map((s) => Number(s.trim()));
    return (v) => lo !== undefined && hi !== undefined && Number(v) >= lo && Number(v) <= hi;
  }
  if (type === 'date') {
    const format = prop('format') ?? 'yyyy-MM-dd';
    const [from, to] = (prop('range') ?? '').split(',');
    const lo = from !== undefined ? rangeBound(format, from, now) : undefined;
    const hi = to !== undefined ? rangeBound(format, to, now) : undefined;
    if (!lo || !hi) throw new DdlError(`projection.${col}.range must be two dates in ${format}, or NOW.`);
    return (v) => {
      const d = dateValue(format, v);
      return d !== undefined && d >= lo && d <= hi;
    };
  }
  return () => true;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One JSON value read into a column of type `t`, as the JSON SerDe does. */
export function serdeValue(v: unknown, t: HiveType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'primitive':
      if (t.name === 'string' || t.name === 'varchar' || t.name === 'char') return typeof v === 'string' ? v : JSON.stringify(v);
      if (t.name === 'boolean') return typeof v === 'boolean' ? v : typeof v === 'string' ? v.toLowerCase() === 'true' : null;
      if (['tinyint', 'smallint', 'int', 'integer', 'bigint', 'float', 'double', 'decimal'].includes(t.name)) {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
        return Number.isFinite(n) ? n : null;
      }
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'struct':
      return isObject(v) ? serdeRecord(v, t.fields) : null;
    case 'array':
      return Array.isArray(v) ? v.map((x) => serdeValue(x, t.of)) : null;
    case 'map':
      return isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, serdeValue(x, t.value)])) : null;
  }
}

/** A JSON object read into the columns: keys matched case-insensitively, missing ones null. */
export function serdeRecord(rec: Json, columns: readonly Column[]): Json {
  const byLower = new Map<string, unknown>();
  for (const [k, v] of Object.entries(rec)) {
    const l = k.toLowerCase();
    if (!byLower.has(l)) byLower.set(l, v);
  }
  const out: Json = {};
  for (const c of columns) out[c.name] = serdeValue(byLower.get(c.name), c.type);
  return out;
}

/** The rows of one object of the table, before projection onto its columns. */
export function documentsOf(def: TableDef, body: Buffer, key: string): Json[] {
  let text: string;
  try {
    text = (body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString('utf8');
  } catch (e) {
    throw new BadDataError(`HIVE_CURSOR_ERROR: Unexpected end of input stream (Path: ${key}): ${(e as Error).message}`);
  }
  if (def.inputFormat === CLOUDTRAIL_INPUT_FORMAT) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new BadDataError(`HIVE_CURSOR_ERROR: Row is not a valid JSON Object - JSONException: ${(e as Error).message} (Path: ${key})`);
    }
    const records = isObject(doc) ? doc.Records : undefined;
    if (!Array.isArray(records)) throw new BadDataError(`HIVE_CURSOR_ERROR: no Records array in a CloudTrail log file (Path: ${key})`);
    return records.filter(isObject);
  }
  const out: Json[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new BadDataError(`HIVE_BAD_DATA: Error parsing field value: ${(e as Error).message} (Path: ${key})`);
    }
    if (isObject(v)) out.push(v);
  }
  return out;
}

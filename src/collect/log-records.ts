/**
 * Picks the records worth parsing out of a decompressed CloudTrail log file without parsing the rest.
 * A trail holds every API call, and role assumptions are a small share of them; JSON.parse of every
 * record is what bounded the reader. CloudTrail writes compact JSON, `{"Records":[{"eventVersion":...},...]}`,
 * so a record starts where `{"eventVersion":` appears (those bytes cannot occur inside a JSON string, whose
 * quotes are escaped), and a record whose eventName is one asked for contains `"<name>"`. Only the records
 * holding such a name are parsed; whatever does not fit that shape is parsed whole, as before, so a file
 * written another way is still read and a damaged one still fails with the parser's reason.
 */

const RECORD_START = Buffer.from('{"eventVersion":');
const OPENING = Buffer.from('{"Records":[');

export class LogFormatError extends Error {}

/** The whole file parsed: its Records array, or a LogFormatError saying why it is not a trail log file. */
export function parseLogRecords(text: Buffer): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text.toString('utf8'));
  } catch (e) {
    throw new LogFormatError(`not valid JSON: ${(e as Error).message}`);
  }
  const records = typeof doc === 'object' && doc !== null ? (doc as { Records?: unknown }).Records : undefined;
  if (!Array.isArray(records)) throw new LogFormatError('not a CloudTrail log file (no Records array)');
  return records;
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** A shared prefix shorter than this would make too many false candidates to be worth one pass. */
const MIN_SHARED_NEEDLE = 8;
interface Needle {
  /** Searched for. */
  search: Buffer;
  /** The quoted names that may stand where it is found. */
  names: Buffer[];
}
const needleCache = new Map<string, Needle[]>();

/** What to search for: the quoted names' common prefix when it is long enough, else each quoted name. */
function needles(eventNames: readonly string[]): Needle[] {
  const cacheKey = eventNames.join('\u0000');
  const cached = needleCache.get(cacheKey);
  if (cached) return cached;
  const quoted = [...new Set(eventNames)].map((n) => JSON.stringify(n));
  let common = quoted[0] ?? '';
  for (const q of quoted) while (!q.startsWith(common)) common = common.slice(0, -1);
  const found =
    quoted.length > 1 && common.length >= MIN_SHARED_NEEDLE
      ? [{ search: Buffer.from(common), names: quoted.map((q) => Buffer.from(q)) }]
      : quoted.map((q) => ({ search: Buffer.from(q), names: [Buffer.from(q)] }));
  needleCache.set(cacheKey, found);
  return found;
}

/** Result of selectLogRecords: the candidate records parsed, and whether the fast path could be used. */
export interface SelectedRecords {
  /** Every record whose text names one of the event names, parsed (a superset of the matching records). */
  records: unknown[];
  /** False when the file was parsed whole because it is not in CloudTrail's compact shape. */
  skimmed: boolean;
}

/**
 * The records of the file that may have one of `eventNames` as their eventName, parsed. The caller still
 * checks eventName on each: a record is a candidate when its text contains the quoted name anywhere.
 */
export function selectLogRecords(text: Buffer, eventNames: readonly string[]): SelectedRecords {
  const whole = (): SelectedRecords => ({ records: parseLogRecords(text), skimmed: false });
  let head = 0;
  while (isSpace(text[head])) head++;
  let tail = text.length - 1;
  while (tail >= 0 && isSpace(text[tail])) tail--;
  if (text.indexOf(OPENING, head) !== head || text[tail] !== 0x7d) return whole();
  let close = tail - 1;
  while (close > head && isSpace(text[close])) close--;
  if (text[close] !== 0x5d) return whole();

  const firstStart = text.indexOf(RECORD_START, head + OPENING.length);
  if (firstStart < 0) {
    // No record in the compact shape: an empty Records array, or a file written another way.
    return whole();
  }
  for (let i = head + OPENING.length; i < firstStart; i++) if (!isSpace(text[i])) return whole();

  // Where an asked-for name appears, in file order. Names sharing a long prefix (AssumeRole,
  // AssumeRoleWithSAML, AssumeRoleWithWebIdentity) are found with one pass for that prefix instead of one
  // pass a name, each hit then compared with the whole quoted names: the same hits as a pass a name.
  const hits: number[] = [];
  for (const { search, names } of needles(eventNames)) {
    for (let at = text.indexOf(search, firstStart); at >= 0 && at < close; at = text.indexOf(search, at + search.length)) {
      // The prefix found: keep the hit only where one whole quoted name stands there.
      if (names.some((n) => at + n.length <= text.length && text.compare(n, 0, n.length, at, at + n.length) === 0)) hits.push(at);
    }
  }
  if (hits.length > 1) hits.sort((a, b) => a - b);

  // The record around each hit: the last record start before it and the next one after (two native
  // searches a hit, none for the records in between).
  const records: unknown[] = [];
  let taken = -1;
  for (const hit of hits) {
    const start = text.lastIndexOf(RECORD_START, hit);
    if (start === taken) continue;
    taken = start;
    const next = text.indexOf(RECORD_START, hit);
    let end = (next >= 0 && next < close ? next : close) - 1;
    while (end > start && (text[end] === 0x2c || isSpace(text[end]))) end--;
    try {
      records.push(JSON.parse(text.toString('utf8', start, end + 1)));
    } catch {
      // The record boundary guess did not hold (a nested object starting like a record): parse it all.
      return whole();
    }
  }
  return { records, skimmed: true };
}

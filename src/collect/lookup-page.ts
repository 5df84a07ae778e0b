/**
 * One LookupEvents page as the usage scan needs it: each event's CloudTrailEvent record and the next
 * token. The SDK's schema deserializer builds a typed object for every field of every event (times,
 * resources, user names) only for the scan to throw all of it away; at tens of thousands of pages that
 * was a large share of the collector's CPU. A successful response's body is read here with one
 * JSON.parse; anything else — an error status, a body that is not the expected shape — goes through
 * the SDK untouched, so errors, retries and their coverage items are exactly the SDK's.
 */
import { LookupEventsCommand, type CloudTrailClient, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import type { DeserializeHandler } from '@aws-sdk/types';

export interface LookupPage {
  /** Each event's CloudTrailEvent (the record as JSON text), in the page's order; undefined where absent. */
  records: (string | undefined)[];
  nextToken?: string;
}

/** What the SDK's JSON protocol deserializer accepts as an empty body: the output then carries only metadata. */
const EMPTY_DOCUMENT = new Uint8Array([0x7b, 0x7d]);

/**
 * The page's fields from a LookupEvents response body, or undefined when the body is not the documented
 * shape (the SDK then reads it, and fails the way it fails).
 */
export function readLookupPage(body: string): LookupPage | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const { Events: events, NextToken: nextToken } = doc as { Events?: unknown; NextToken?: unknown };
  if (nextToken !== undefined && nextToken !== null && typeof nextToken !== 'string') return undefined;
  if (events !== undefined && events !== null && !Array.isArray(events)) return undefined;
  const records: (string | undefined)[] = [];
  for (const e of (events ?? []) as unknown[]) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return undefined;
    const record = (e as { CloudTrailEvent?: unknown }).CloudTrailEvent;
    if (record !== undefined && record !== null && typeof record !== 'string') return undefined;
    records.push(record ?? undefined);
  }
  return { records, ...(nextToken ? { nextToken } : {}) };
}

/**
 * The response body as the chunks it arrived in — viewed, not copied: each copy of a ~100 KB page is
 * memory outside V8's heap that lives until the garbage collector finds its wrapper.
 */
async function bodyChunks(body: unknown): Promise<Uint8Array[] | undefined> {
  if (body instanceof Uint8Array) return [body];
  if (typeof body === 'string') return [Buffer.from(body, 'utf8')];
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    return chunks;
  }
  return undefined;
}

/** UTF-8 text of the chunks; a character split between two chunks is decoded whole. */
function utf8Text(chunks: readonly Uint8Array[]): string {
  const [only] = chunks;
  if (chunks.length === 1 && only) return Buffer.from(only.buffer, only.byteOffset, only.byteLength).toString('utf8');
  const decoder = new TextDecoder('utf-8');
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/**
 * Where the reader leaves the page it found: on the request's own input object (the middleware sees the
 * same object), under a symbol the SDK's serializer never reads, so the page lives exactly as long as its
 * request. Not in a module-level map: such a map lives in the old generation, and V8's scavenger keeps
 * what an old-space table reaches alive until the next full collection — with a WeakMap left to the key's
 * death every page's records were promoted (1.8 MB a scavenge) and peak RSS grew with the events read
 * (+50 % at x16 events, same roles); even a map emptied as each request settles promoted ~0.86 MB a
 * scavenge against ~0.17 MB for this.
 */
const PAGE_SLOT = Symbol('accessReviewLookupPage');
type PageSlot = { page?: LookupPage };
type SlottedInput = LookupEventsCommandInput & { [PAGE_SLOT]?: PageSlot };
const withReader = new WeakSet<CloudTrailClient>();

/** The raw page of a successful response, or undefined (the SDK then reads the original bytes its way). */
async function readResponse(res: { statusCode?: number; body?: unknown }): Promise<LookupPage | undefined> {
  if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode >= 300) return undefined;
  const chunks = await bodyChunks(res.body);
  if (!chunks) return undefined;
  const page = readLookupPage(utf8Text(chunks));
  // Read: the SDK then deserializes an empty document; not read: the original bytes, its way.
  res.body = page ? EMPTY_DOCUMENT : new Uint8Array(Buffer.concat(chunks));
  return page;
}

// Innermost in the deserialize step: it sees the raw response of each attempt before the SDK's deserializer.
const READER = { step: 'deserialize', priority: 'low', name: 'accessReviewLookupPage' } as const;

/** The reader: leaves the page of a lookupPage request (one whose input carries a slot) in its slot. */
function readIntoSlot<I extends object, O extends object>(next: DeserializeHandler<I, O>): DeserializeHandler<I, O> {
  return async (args) => {
    const out = await next(args);
    const slot = (args.input as SlottedInput)[PAGE_SLOT];
    if (slot) slot.page = await readResponse(out.response as { statusCode?: number; body?: unknown });
    return out;
  };
}

/**
 * Installs the page reader on the client once, for a client whose middleware is resolved once per command
 * class (`cacheMiddleware`, which saves the SDK rebuilding its stack on every request): a command's own
 * middleware would then be ignored after the first request. It acts only on lookupPage's requests; any
 * other LookupEvents call on the client (the preflight's) is the SDK's as usual.
 */
export function addLookupPageReader<C extends CloudTrailClient>(client: C): C {
  client.middlewareStack.add(readIntoSlot, READER);
  withReader.add(client);
  return client;
}

/** Sends one LookupEvents request through the client (signing, retries, errors as usual) and returns the page. */
export async function lookupPage(client: CloudTrailClient, input: LookupEventsCommandInput): Promise<LookupPage> {
  const slot: PageSlot = {};
  const slotted: SlottedInput = { ...input, [PAGE_SLOT]: slot };
  const command = new LookupEventsCommand(slotted);
  // A client without the reader installed: the command carries it.
  if (!withReader.has(client)) command.middlewareStack.add(readIntoSlot, READER);
  const output = await client.send(command);
  const page = slot.page;
  return page ?? { records: (output.Events ?? []).map((e) => e.CloudTrailEvent), ...(output.NextToken ? { nextToken: output.NextToken } : {}) };
}

/**
 * Incremental usage: CloudTrail's LookupEvents allows 2 requests a second per account and region, so a
 * busy account's 90 days can take hours to read. Each run keeps its window's aggregates by UTC day (the
 * ledger, stored in the snapshot); the next run reuses the whole days it still needs and reads only the
 * events after the ledger ends, plus the part of the first day that the ledger's day buckets cannot split.
 * Pure: the plan, the merge and the new ledger are functions of plain data.
 */
import type { AssumeAggregate, IsoTime, TimeWindow, UsageLedger, UsageLedgerKey, UsageLedgerRow } from '../model/snapshot.js';
import { accountOfArn, aggregateKey, compareAggregates, type AssumeEvent } from './assume-events.js';

/**
 * Event history shows an event up to about 15 minutes after it happened: the ledger stops this far before
 * the run, so an event that had not arrived yet is read by the next run instead of lost.
 */
export const SETTLE_MS = 30 * 60_000;

const DAY_MS = 86_400_000;

export function dayOf(iso: IsoTime): string {
  return iso.slice(0, 10);
}

/** The first UTC midnight at or after the instant. */
export function ceilDay(iso: IsoTime): IsoTime {
  const t = Date.parse(iso);
  return new Date(Math.ceil(t / DAY_MS) * DAY_MS).toISOString();
}

/** One UTC day's aggregates in one region. */
export interface UsageDay {
  day: string;
  assumptions: AssumeAggregate[];
}

/** A ledger as the functions here use it; the snapshot stores it compactly (encodeLedger). */
export interface LedgerDays {
  region: string;
  eventNames: string[];
  coveredUntil: IsoTime;
  days: UsageDay[];
}

/** A range to read: [start, end) when endExclusive, else [start, end] as LookupEvents reads it. */
export interface ReadRange extends TimeWindow {
  endExclusive: boolean;
}

export interface ScanPlan {
  reads: ReadRange[];
  /** Whole days taken from the previous ledger. */
  reuse: UsageDay[];
  /** Where new ledger days start: days before it are only partly in the window. */
  firstWholeDay: IsoTime;
  /** The reused ledger's end: the new ledger never ends before it, or its days would hold later events. */
  reusedUntil?: IsoTime;
}

/** What to read and what to reuse for one region, given the previous run's ledger for it (if any). */
export function planScan(previous: LedgerDays | undefined, window: TimeWindow, eventNames: readonly string[]): ScanPlan {
  const firstWholeDay = ceilDay(window.start);
  const full: ScanPlan = { reads: [{ ...window, endExclusive: false }], reuse: [], firstWholeDay };
  if (!previous || !sameNames(previous.eventNames, eventNames)) return full;
  // The ledger must reach into the window's whole days, and not past this run's end (a clock gone back).
  if (previous.coveredUntil <= firstWholeDay || previous.coveredUntil > window.end) return full;
  const reuse = previous.days.filter((d) => d.day >= dayOf(firstWholeDay) && `${d.day}T00:00:00.000Z` < previous.coveredUntil);
  const reads: ReadRange[] = [];
  if (window.start < firstWholeDay) reads.push({ start: window.start, end: firstWholeDay, endExclusive: true });
  reads.push({ start: previous.coveredUntil, end: window.end, endExclusive: false });
  return { reads, reuse, firstWholeDay, reusedUntil: previous.coveredUntil };
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}


/** Sums aggregates of the same role, event and caller (from different days or regions). */
export function mergeAggregates(lists: Iterable<readonly AssumeAggregate[]>): AssumeAggregate[] {
  const groups = new Map<string, AssumeAggregate>();
  for (const list of lists) for (const a of list) mergeGroup(groups, a);
  const out = [...groups.values()];
  for (const g of out) g.regions.sort();
  return out.sort(compareAggregates);
}

/** Adds one aggregate into a map of groups (mergeAggregates, one at a time). */
function mergeGroup(groups: Map<string, AssumeAggregate>, a: AssumeAggregate): void {
  const key = aggregateKey(a);
  const g = groups.get(key);
  if (!g) {
    groups.set(key, { ...a, regions: [...a.regions] });
    return;
  }
  g.count += a.count;
  g.mfaCount += a.mfaCount;
  g.withExternalIdCount += a.withExternalIdCount;
  if (a.firstSeen < g.firstSeen) g.firstSeen = a.firstSeen;
  if (a.lastSeen > g.lastSeen) g.lastSeen = a.lastSeen;
  if (g.callerType === undefined && a.callerType !== undefined) g.callerType = a.callerType;
  for (const r of a.regions) if (!g.regions.includes(r)) g.regions.push(r);
}

export interface RegionUsage {
  assumptions: AssumeAggregate[];
  ledger: LedgerDays;
  reusedDays: number;
}

/** The identity of an aggregate: role, event name and caller (callerType rides along, from the first event). */
type AggregateKeyFields = Pick<AssumeAggregate, 'roleArn' | 'eventName' | 'callerAccountId' | 'callerArn' | 'callerType'>;

/**
 * Counters for numbered groups in growable typed arrays: a group costs 28 bytes here rather than an object
 * with its own copies of the role and caller strings (~0.5 KB), which is what made memory follow the rows.
 */
class GroupCounters {
  size = 0;
  private count = new Uint32Array(64);
  private mfa = new Uint32Array(64);
  private ext = new Uint32Array(64);
  /** Epoch milliseconds of the first and last event. */
  private first = new Float64Array(64);
  private last = new Float64Array(64);

  /** A new group, counted from zero. */
  push(): number {
    if (this.size === this.count.length) {
      const grow = <T extends Uint32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.count = grow(this.count);
      this.mfa = grow(this.mfa);
      this.ext = grow(this.ext);
      this.first = grow(this.first);
      this.last = grow(this.last);
    }
    this.first[this.size] = Number.POSITIVE_INFINITY;
    this.last[this.size] = Number.NEGATIVE_INFINITY;
    return this.size++;
  }

  add(i: number, e: AssumeEvent, ms: number): void {
    this.addCounts(i, 1, e.mfa ? 1 : 0, e.externalId ? 1 : 0, ms, ms);
  }

  /** Events counted elsewhere (one row of an Athena query), added as if seen one by one. */
  addCounts(i: number, count: number, mfa: number, ext: number, firstMs: number, lastMs: number): void {
    this.count[i] = (this.count[i] as number) + count;
    this.mfa[i] = (this.mfa[i] as number) + mfa;
    this.ext[i] = (this.ext[i] as number) + ext;
    if (firstMs < (this.first[i] as number)) this.first[i] = firstMs;
    if (lastMs > (this.last[i] as number)) this.last[i] = lastMs;
  }

  /** Group i as a compact ledger row (times in epoch seconds, as encodeLedger writes them). */
  ledgerRow(i: number, day: string, key: number): UsageLedgerRow {
    return [day, key, this.count[i] as number, this.mfa[i] as number, this.ext[i] as number, Math.floor((this.first[i] as number) / 1000), Math.floor((this.last[i] as number) / 1000)];
  }

  aggregate(i: number, key: AggregateKeyFields, regions: string[]): AssumeAggregate {
    return {
      ...key,
      count: this.count[i] as number,
      mfaCount: this.mfa[i] as number,
      withExternalIdCount: this.ext[i] as number,
      firstSeen: new Date(this.first[i] as number).toISOString(),
      lastSeen: new Date(this.last[i] as number).toISOString(),
      regions,
    };
  }
}

/**
 * Counts a region's events as pages arrive, into the window's aggregates and the ledger's day buckets at
 * once, so memory follows roles, callers and days rather than events. Each distinct role, event name and
 * caller is kept once (an integer id); the window's counters are indexed by it and each day maps ids to a
 * row of counters, so a ledger row is a map entry and a few numbers. It relies on the plan's reads being
 * disjoint (distinct event names, ranges that do not overlap): an event is seen once, with no id set kept.
 */
export class UsageAccumulator {
  private readonly keyIds = new Map<string, number>();
  /** The aggregateKey of each id (the strings keyIds already holds). */
  private readonly keyStrings: string[] = [];
  private readonly keys: AggregateKeyFields[] = [];
  private readonly regionsOf: string[][] = [];
  private readonly fresh = new GroupCounters();
  /** Per UTC day (YYYY-MM-DD): key id → row in `rows`. */
  private readonly byDay = new Map<string, Map<number, number>>();
  private readonly rows = new GroupCounters();
  private readonly coveredUntil: IsoTime;
  /** Events counted (those of the account's own roles). */
  counted = 0;

  constructor(
    private readonly accountId: string,
    private readonly plan: ScanPlan,
    window: TimeWindow,
  ) {
    const settled = Math.max(Date.parse(window.start), Date.parse(window.end) - SETTLE_MS);
    this.coveredUntil = new Date(Math.max(settled, plan.reusedUntil ? Date.parse(plan.reusedUntil) : 0)).toISOString();
  }

  add(e: AssumeEvent): void {
    // A cross-account call is logged in both accounts: only the role owner's copy counts here.
    if (accountOfArn(e.roleArn) !== this.accountId) return;
    this.counted += 1;
    const id = this.idOf(e);
    const ms = Date.parse(e.eventTime);
    this.fresh.add(id, e, ms);
    const regions = this.regionsOf[id] as string[];
    if (e.region && !regions.includes(e.region)) regions.push(e.region);
    if (e.eventTime < this.plan.firstWholeDay || e.eventTime >= this.coveredUntil) return;
    this.rows.add(this.dayRow(dayOf(e.eventTime), id), e, ms);
  }

  /** The ledger row of one day for one role, event name and caller. */
  private dayRow(day: string, id: number): number {
    let rows = this.byDay.get(day);
    if (!rows) this.byDay.set(day, (rows = new Map()));
    let row = rows.get(id);
    if (row === undefined) rows.set(id, (row = this.rows.push()));
    return row;
  }

  /** The id of the event's (or group's) role, event name and caller; callerType is the first one seen. */
  private idOf(e: Pick<AssumeEvent, 'roleArn' | 'eventName' | 'callerAccountId' | 'callerArn' | 'callerType'>): number {
    const k = aggregateKey(e);
    let id = this.keyIds.get(k);
    if (id === undefined) {
      id = this.fresh.push();
      this.keyIds.set(k, id);
      this.keyStrings.push(k);
      this.keys.push({
        roleArn: e.roleArn,
        eventName: e.eventName,
        ...(e.callerAccountId ? { callerAccountId: e.callerAccountId } : {}),
        ...(e.callerArn ? { callerArn: e.callerArn } : {}),
        ...(e.callerType ? { callerType: e.callerType } : {}),
      });
      this.regionsOf.push([]);
    } else if (e.callerType !== undefined && this.keys[id]?.callerType === undefined) {
      (this.keys[id] as AggregateKeyFields).callerType = e.callerType;
    }
    return id;
  }

  /**
   * Each id's place in the aggregates' order (compareAggregates), computed once: ids of keys that compare
   * equal share a place, so ties keep the order they were first seen in, as a stable sort of objects would.
   */
  private orderOfIds(): Uint32Array {
    const ids = this.keys.map((_, id) => id).sort((a, b) => compareAggregates(this.keys[a] as AggregateKeyFields, this.keys[b] as AggregateKeyFields));
    const place = new Uint32Array(this.keys.length);
    let n = 0;
    ids.forEach((id, i) => {
      if (i > 0 && compareAggregates(this.keys[ids[i - 1] as number] as AggregateKeyFields, this.keys[id] as AggregateKeyFields) !== 0) n += 1;
      place[id] = n;
    });
    return place;
  }

  private freshAggregates(place: Uint32Array = this.orderOfIds()): AssumeAggregate[] {
    const ids = this.keys.map((_, id) => id).sort((a, b) => (place[a] as number) - (place[b] as number) || a - b);
    return ids.map((id) => {
      const regions = [...(this.regionsOf[id] as string[])].sort();
      return this.fresh.aggregate(id, this.keys[id] as AggregateKeyFields, regions);
    });
  }

  /**
   * Counts a group of events aggregated elsewhere (a row of an Athena query) as `add` counts its events one
   * by one. The group must lie in one UTC day and on one side of the ledger's end, or it could not be put in
   * one ledger bucket: the query groups by both.
   */
  addGroup(g: AssumeAggregate): void {
    if (accountOfArn(g.roleArn) !== this.accountId) return;
    if (g.firstSeen >= this.plan.firstWholeDay && g.firstSeen < this.coveredUntil && (dayOf(g.firstSeen) !== dayOf(g.lastSeen) || g.lastSeen >= this.coveredUntil)) {
      throw new Error(`a usage group of ${g.roleArn} spans ${g.firstSeen} to ${g.lastSeen}, across a day or the ledger's end (${this.coveredUntil})`);
    }
    this.counted += g.count;
    const id = this.idOf(g);
    const first = Date.parse(g.firstSeen);
    const last = Date.parse(g.lastSeen);
    this.fresh.addCounts(id, g.count, g.mfaCount, g.withExternalIdCount, first, last);
    const regions = this.regionsOf[id] as string[];
    for (const r of g.regions) if (!regions.includes(r)) regions.push(r);
    if (g.firstSeen < this.plan.firstWholeDay || g.firstSeen >= this.coveredUntil) return;
    this.rows.addCounts(this.dayRow(dayOf(g.firstSeen), id), g.count, g.mfaCount, g.withExternalIdCount, first, last);
  }

  /** The window's aggregates: reused days plus what was counted. */
  assumptions(place?: Uint32Array): AssumeAggregate[] {
    const fresh = this.freshAggregates(place);
    // Nothing reused: the fresh aggregates are already one per key, in order (merging would only copy them).
    return this.plan.reuse.length === 0 ? fresh : mergeAggregates([...this.plan.reuse.map((d) => d.assumptions), fresh]);
  }

  /**
   * finish() with the ledger already in the snapshot's compact form (encodeLedger of finish's ledger, the
   * same bytes), written from the counters row by row: the day-bucket objects finish builds — an object,
   * two ISO times and a key string per row, made twice over by the merge and the encoding — were the
   * collector's peak memory at the end of a large scan, not anything the scan itself kept.
   */
  finishEncoded(region: string, eventNames: readonly string[]): { assumptions: AssumeAggregate[]; ledger: UsageLedger; reusedDays: number } {
    const place = this.orderOfIds();
    const reused = new Map(this.plan.reuse.map((d) => [d.day, d.assumptions]));
    const dayNames = [...new Set([...reused.keys(), ...this.byDay.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const keys = new LedgerKeys();
    const rows: UsageLedgerRow[] = [];
    for (const day of dayNames) {
      const counted = this.byDay.get(day);
      const old = reused.get(day);
      if (old) {
        // A day both reused and read (where the previous ledger ended): merged as objects, as finish does.
        const read = counted ? [...counted].map(([id, row]) => this.rows.aggregate(row, this.keys[id] as AggregateKeyFields, [region])) : [];
        for (const a of mergeAggregates([old, read])) {
          rows.push([day, keys.indexOf(aggregateKey(a), a), a.count, a.mfaCount, a.withExternalIdCount, seconds(a.firstSeen), seconds(a.lastSeen)]);
        }
        continue;
      }
      if (!counted) continue;
      // Rows of one day are numbered as they were first seen, which orders ties as the merge's map would.
      // The ids are sorted in a typed array: [id, row] entry pairs, sorted by a destructuring comparator,
      // cost ~0.7 KB of garbage a row, which at the end of a 57k-row scan was the collector's peak.
      const ids = Uint32Array.from(counted.keys()).sort((a, b) => (place[a] as number) - (place[b] as number) || (counted.get(a) as number) - (counted.get(b) as number));
      for (const id of ids) rows.push(this.rows.ledgerRow(counted.get(id) as number, day, keys.indexOf(this.keyStrings[id] as string, this.keys[id] as AggregateKeyFields)));
    }
    return {
      assumptions: this.assumptions(place),
      ledger: { region, eventNames: [...eventNames], coveredUntil: this.coveredUntil, keys: keys.list, rows },
      reusedDays: this.plan.reuse.length,
    };
  }

  /** The aggregates and the ledger to hand to the next run, once every read succeeded. */
  finish(region: string, eventNames: readonly string[]): RegionUsage {
    const days = new Map<string, AssumeAggregate[][]>();
    for (const d of this.plan.reuse) days.set(d.day, [d.assumptions]);
    for (const [day, rows] of this.byDay) {
      const list = [...rows].map(([id, row]) => this.rows.aggregate(row, this.keys[id] as AggregateKeyFields, [region]));
      days.set(day, [...(days.get(day) ?? []), list]);
    }
    const ledgerDays: UsageDay[] = [...days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([day, lists]) => ({ day, assumptions: mergeAggregates(lists) }));
    return {
      assumptions: this.assumptions(),
      ledger: { region, eventNames: [...eventNames], coveredUntil: this.coveredUntil, days: ledgerDays },
      reusedDays: this.plan.reuse.length,
    };
  }
}

/**
 * The region's aggregates for the whole window (reused days plus the events just read, which the caller
 * has kept within the plan's ranges) and the ledger to hand to the next run.
 */
export function combineRegionUsage(input: {
  region: string;
  eventNames: string[];
  accountId: string;
  plan: ScanPlan;
  events: readonly AssumeEvent[];
  window: TimeWindow;
}): RegionUsage {
  const acc = new UsageAccumulator(input.accountId, input.plan, input.window);
  const seen = new Set<string>();
  for (const e of input.events) {
    if (e.eventId) {
      if (seen.has(e.eventId)) continue;
      seen.add(e.eventId);
    }
    acc.add(e);
  }
  return acc.finish(input.region, input.eventNames);
}

const seconds = (iso: IsoTime): number => Math.floor(Date.parse(iso) / 1000);
const iso = (epochSeconds: number): IsoTime => new Date(epochSeconds * 1000).toISOString();

/** The snapshot's compact form: each key once, one row per key and day. */
export function encodeLedger(ledger: LedgerDays): UsageLedger {
  const keys = new LedgerKeys();
  const rows: UsageLedgerRow[] = [];
  for (const day of ledger.days) {
    for (const a of day.assumptions) {
      rows.push([day.day, keys.indexOf(aggregateKey(a), a), a.count, a.mfaCount, a.withExternalIdCount, seconds(a.firstSeen), seconds(a.lastSeen)]);
    }
  }
  return { region: ledger.region, eventNames: [...ledger.eventNames], coveredUntil: ledger.coveredUntil, keys: keys.list, rows };
}

/** The compact ledger's key table: each (role, event name, caller) once, numbered as first seen. */
class LedgerKeys {
  readonly list: UsageLedgerKey[] = [];
  private readonly index = new Map<string, number>();

  /** The key's number; `k` is its aggregateKey. */
  indexOf(k: string, key: AggregateKeyFields): number {
    let i = this.index.get(k);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(k, i);
      this.list.push({
        roleArn: key.roleArn,
        eventName: key.eventName,
        ...(key.callerAccountId !== undefined ? { callerAccountId: key.callerAccountId } : {}),
        ...(key.callerArn !== undefined ? { callerArn: key.callerArn } : {}),
        ...(key.callerType !== undefined ? { callerType: key.callerType } : {}),
      });
    }
    return i;
  }
}

/** Back to day buckets; undefined when a row names a key that is not there (a damaged ledger is not used). */
export function decodeLedger(ledger: UsageLedger): LedgerDays | undefined {
  // Instants are compared as strings here, so they must be in the one form toISOString gives.
  const coveredUntil = Date.parse(ledger.coveredUntil);
  if (Number.isNaN(coveredUntil)) return undefined;
  const days = new Map<string, AssumeAggregate[]>();
  for (const [day, k, count, mfaCount, withExternalIdCount, firstSeen, lastSeen] of ledger.rows) {
    const key = ledger.keys[k];
    if (!key) return undefined;
    const list = days.get(day) ?? [];
    list.push({ ...key, count, mfaCount, withExternalIdCount, firstSeen: iso(firstSeen), lastSeen: iso(lastSeen), regions: [ledger.region] });
    days.set(day, list);
  }
  return {
    region: ledger.region,
    eventNames: [...ledger.eventNames],
    coveredUntil: new Date(coveredUntil).toISOString(),
    days: [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([day, assumptions]) => ({ day, assumptions: mergeAggregates([assumptions]) })),
  };
}

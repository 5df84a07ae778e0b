/**
 * Event history indexed per region and event name, newest first, with each event's time as a number:
 * a LookupEvents page is two binary searches and a slice, so its cost does not grow with the account's
 * history (a full read of E events would otherwise cost O(E²/50)).
 */
import type { SyntheticAccount, SyntheticEvent } from './org-types.js';

/** Events newest first and their times (epoch ms) in the same order. */
export interface EventRun {
  events: SyntheticEvent[];
  times: Float64Array;
}

interface RegionIndex {
  all: EventRun;
  byName: Map<string, EventRun>;
}

const EMPTY: EventRun = { events: [], times: new Float64Array(0) };
// Keyed by the account object: an index lives exactly as long as the history it describes.
const indexes = new WeakMap<SyntheticAccount, Map<string, RegionIndex>>();

function run(events: SyntheticEvent[]): EventRun {
  const times = new Float64Array(events.length);
  events.forEach((e, i) => (times[i] = Date.parse(e.eventTime)));
  return { events, times };
}

function build(account: SyntheticAccount): Map<string, RegionIndex> {
  const lists = new Map<string, { all: SyntheticEvent[]; byName: Map<string, SyntheticEvent[]> }>();
  for (const e of account.events) {
    let r = lists.get(e.region);
    if (!r) lists.set(e.region, (r = { all: [], byName: new Map() }));
    r.all.push(e);
    let n = r.byName.get(e.eventName);
    if (!n) r.byName.set(e.eventName, (n = []));
    n.push(e);
  }
  const out = new Map<string, RegionIndex>();
  for (const [region, r] of lists) {
    out.set(region, { all: run(r.all), byName: new Map([...r.byName].map(([name, list]) => [name, run(list)])) });
  }
  return out;
}

/** The account's events in a region, all of them or those of one event name, newest first. */
export function eventRun(account: SyntheticAccount, region: string, eventName?: string): EventRun {
  let index = indexes.get(account);
  if (!index) indexes.set(account, (index = build(account)));
  const r = index.get(region);
  if (!r) return EMPTY;
  return eventName === undefined ? r.all : (r.byName.get(eventName) ?? EMPTY);
}

/** First index whose time is at most `t` (times descend). */
function firstAtOrBefore(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) > t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The [from, to) index range of events with startMs <= time <= endMs. */
export function timeSlice(r: EventRun, startMs: number, endMs: number): { from: number; to: number } {
  const from = firstAtOrBefore(r.times, endMs);
  const to = Number.isFinite(startMs) ? Math.max(from, firstAtOrBefore(r.times, startMs - 1e-3)) : r.times.length;
  return { from, to };
}

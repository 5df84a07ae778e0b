import { describe, expect, it } from 'vitest';
import { aggregateAssumeEvents, type AssumeEvent } from '../../src/collect/assume-events.js';
import { SETTLE_MS, UsageAccumulator, ceilDay, combineRegionUsage, decodeLedger, encodeLedger, mergeAggregates, planScan, type ReadRange } from '../../src/collect/usage-ledger.js';
import { reviewWindow } from '../../src/collect/index.js';

const ACCOUNT = '111111111111';
const NAMES = ['AssumeRole', 'AssumeRoleWithWebIdentity'];
const HOUR = 3_600_000;

/** A deterministic stream of assumptions: 4 roles, 5 callers, one every ~37 minutes over 120 days. */
function history(end: Date): AssumeEvent[] {
  const events: AssumeEvent[] = [];
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let t = end.getTime() - 120 * 24 * HOUR, i = 0; t < end.getTime(); t += 20 * 60_000 + rand(34 * 60_000), i++) {
    const caller = rand(5);
    events.push({
      eventId: `e-${i}`,
      eventName: NAMES[rand(2)]!,
      eventTime: new Date(Math.floor(t / 1000) * 1000).toISOString(),
      region: 'eu-west-1',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/r${rand(4)}`,
      callerAccountId: `22222222222${caller}`,
      callerArn: `arn:aws:iam::22222222222${caller}:role/caller`,
      callerType: 'AssumedRole',
      mfa: rand(3) === 0,
      externalId: rand(4) === 0,
    });
  }
  return events;
}

/** What LookupEvents returns for the plan's ranges: inclusive of both ends, as the service is. */
function read(all: readonly AssumeEvent[], ranges: readonly ReadRange[]): AssumeEvent[] {
  return ranges.flatMap((r) => all.filter((e) => e.eventTime >= r.start && e.eventTime <= r.end && !(r.endExclusive && e.eventTime >= r.end)));
}

function runAt(all: readonly AssumeEvent[], now: Date, previous?: ReturnType<typeof combineRegionUsage>['ledger']) {
  const window = reviewWindow(now, 90);
  const plan = planScan(previous, window, NAMES);
  const events = read(all, plan.reads);
  return { plan, events, usage: combineRegionUsage({ region: 'eu-west-1', eventNames: NAMES, accountId: ACCOUNT, plan, events, window }) };
}

describe('incremental usage', () => {
  const end = new Date('2026-11-29T17:25:41.000Z');
  const all = history(end);

  it('a run a week later reads only the new week, in one range, and counts exactly what a full read does', () => {
    const first = runAt(all, new Date(end.getTime() - 7 * 24 * HOUR));
    const second = runAt(all, end, first.usage.ledger);
    const full = runAt(all, end);
    expect(second.usage.assumptions).toEqual(full.usage.assumptions);
    expect(second.usage.assumptions.reduce((n, a) => n + a.count, 0)).toBe(all.filter((e) => e.eventTime >= reviewWindow(end, 90).start).length);
    // The window starts at a UTC midnight, so there is no partial first day to read again.
    expect(reviewWindow(end, 90).start).toBe('2026-09-01T00:00:00.000Z');
    expect(second.plan.reads.map((r) => [r.start, r.end, r.endExclusive])).toEqual([[first.usage.ledger.coveredUntil, end.toISOString(), false]]);
    expect(second.usage.reusedDays).toBe(83);
    // The expensive part, the reads, shrink from 90 days to a week.
    expect(second.events.length).toBeLessThan(full.events.length / 11);
    // And the ledger it hands on is the one a full read would have produced.
    expect(second.usage.ledger).toEqual(full.usage.ledger);
  });

  it('chains: daily runs for a fortnight end where one full read does', () => {
    let ledger = runAt(all, new Date(end.getTime() - 14 * 24 * HOUR)).usage.ledger;
    let last;
    for (let d = 13; d >= 0; d--) {
      last = runAt(all, new Date(end.getTime() - d * 24 * HOUR - (d % 3) * HOUR), ledger);
      ledger = last.usage.ledger;
    }
    expect(last?.usage.assumptions).toEqual(runAt(all, new Date(end.getTime())).usage.assumptions);
  });

  it('stops the ledger before events that may not have arrived yet, and a run soon after does not count twice', () => {
    const first = runAt(all, end);
    expect(first.usage.ledger.coveredUntil).toBe(new Date(end.getTime() - SETTLE_MS).toISOString());
    const again = runAt(all, new Date(end.getTime() + 60_000), first.usage.ledger);
    expect(again.usage.assumptions).toEqual(runAt(all, new Date(end.getTime() + 60_000)).usage.assumptions);
  });

  it('a run whose clock is a little behind the previous one keeps the ledger consistent for the next', () => {
    const first = runAt(all, end);
    const skewed = runAt(all, new Date(end.getTime() - 10 * 60_000), first.usage.ledger);
    expect(skewed.usage.ledger.coveredUntil).toBe(first.usage.ledger.coveredUntil);
    const later = new Date(end.getTime() + 6 * HOUR);
    expect(runAt(all, later, skewed.usage.ledger).usage.assumptions).toEqual(runAt(all, later).usage.assumptions);
  });

  it('reads everything again when the ledger cannot serve: other event names, too old, or from the future', () => {
    const ledger = runAt(all, new Date(end.getTime() - 7 * 24 * HOUR)).usage.ledger;
    const window = reviewWindow(end, 90);
    const full = [{ ...window, endExclusive: false }];
    expect(planScan({ ...ledger, eventNames: ['AssumeRole'] }, window, NAMES).reads).toEqual(full);
    expect(planScan({ ...ledger, coveredUntil: ceilDay(window.start) }, window, NAMES).reads).toEqual(full);
    expect(planScan({ ...ledger, coveredUntil: new Date(end.getTime() + HOUR).toISOString() }, window, NAMES).reads).toEqual(full);
    expect(planScan(undefined, window, NAMES)).toMatchObject({ reads: full, reuse: [] });
  });

  it('the compact form the snapshot stores decodes to the same days, and a damaged one is refused', () => {
    const ledger = runAt(all, end).usage.ledger;
    const encoded = encodeLedger(ledger);
    // Each role, event and caller once, however many days it appears on.
    expect(encoded.keys.length).toBe(new Set(ledger.days.flatMap((d) => d.assumptions.map((a) => `${a.roleArn} ${a.eventName} ${a.callerArn}`))).size);
    expect(encoded.keys.length).toBeLessThan(ledger.days.length);
    expect(encoded.rows.length).toBe(ledger.days.reduce((n, d) => n + d.assumptions.length, 0));
    expect(decodeLedger(encoded)).toEqual(ledger);
    expect(decodeLedger({ ...encoded, keys: encoded.keys.slice(0, 3) })).toBeUndefined();
    expect(decodeLedger({ ...encoded, coveredUntil: 'yesterday' })).toBeUndefined();
    // A ledger written elsewhere without milliseconds reads as the same instant.
    expect(decodeLedger({ ...encoded, coveredUntil: encoded.coveredUntil.replace('.000Z', 'Z') })?.coveredUntil).toBe(ledger.coveredUntil);
    // Compact: far smaller than the same days as aggregate objects.
    expect(JSON.stringify(encoded).length).toBeLessThan(JSON.stringify(ledger).length / 4);
  });

  it('merging aggregates by day equals aggregating the events at once', () => {
    const events = all.slice(0, 500);
    const byDay = new Map<string, AssumeEvent[]>();
    for (const e of events) byDay.set(e.eventTime.slice(0, 10), [...(byDay.get(e.eventTime.slice(0, 10)) ?? []), e]);
    expect(mergeAggregates([...byDay.values()].map((list) => aggregateAssumeEvents(list, ACCOUNT)))).toEqual(aggregateAssumeEvents(events, ACCOUNT));
  });
});

describe('UsageAccumulator', () => {
  const end = new Date('2026-11-29T17:25:41.000Z');
  const all = history(end);

  it('counted one page at a time, gives the same aggregates and ledger as counting the whole read at once', () => {
    const first = runAt(all, new Date(end.getTime() - 7 * 24 * HOUR));
    const window = reviewWindow(end, 90);
    const plan = planScan(first.usage.ledger, window, NAMES);
    const events = read(all, plan.reads);
    const acc = new UsageAccumulator(ACCOUNT, plan, window);
    for (let i = 0; i < events.length; i += 50) events.slice(i, i + 50).forEach((e) => acc.add(e));
    const whole = combineRegionUsage({ region: 'eu-west-1', eventNames: NAMES, accountId: ACCOUNT, plan, events, window });
    expect(acc.finish('eu-west-1', NAMES)).toEqual(whole);
    expect(acc.counted).toBe(events.length);
    expect(whole.assumptions.reduce((n, a) => n + a.count, 0)).toBe(all.filter((e) => e.eventTime >= window.start).length);
  });

  it('its compact counters give what aggregating the objects gives: the window, and one ledger row per role, caller and day', () => {
    const window = reviewWindow(end, 90);
    const plan = planScan(undefined, window, NAMES);
    const inWindow = all.filter((e) => e.eventTime >= window.start && e.eventTime <= window.end);
    // A caller of another type under the same key keeps the first one seen, as the object form did.
    const events = [...inWindow, { ...inWindow[0]!, eventId: 'other-type', callerType: 'IAMUser', region: 'us-east-1' }];
    const acc = new UsageAccumulator(ACCOUNT, plan, window);
    events.forEach((e) => acc.add(e));
    const done = acc.finish('eu-west-1', NAMES);
    expect(done.assumptions).toEqual(aggregateAssumeEvents(events, ACCOUNT));
    const coveredUntil = new Date(Date.parse(window.end) - SETTLE_MS).toISOString();
    const byDay = new Map<string, AssumeEvent[]>();
    for (const e of events) if (e.eventTime >= plan.firstWholeDay && e.eventTime < coveredUntil) byDay.set(e.eventTime.slice(0, 10), [...(byDay.get(e.eventTime.slice(0, 10)) ?? []), e]);
    const reference = { region: 'eu-west-1', eventNames: NAMES, coveredUntil, days: [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, list]) => ({ day, assumptions: aggregateAssumeEvents(list, ACCOUNT) })) };
    expect(encodeLedger(done.ledger)).toEqual(encodeLedger(reference));
    expect(encodeLedger(done.ledger).rows.length).toBeGreaterThan(400);
  });

  it('finishEncoded writes the same bytes as encoding finish()\'s ledger: a full read, and a run reusing a day it also reads', () => {
    const window = reviewWindow(end, 90);
    const inWindow = all.filter((e) => e.eventTime >= window.start && e.eventTime <= window.end);
    // A caller seen first without a type and later with one, in a second region: the key keeps the later type.
    const { callerType: _dropped, ...untyped } = inWindow[3]!;
    const extra = [{ ...untyped, eventId: 'untyped' }, { ...inWindow[3]!, eventId: 'typed', region: 'us-east-1' }];
    const first = runAt(all, new Date(end.getTime() - 7 * 24 * HOUR));
    const incremental = planScan(first.usage.ledger, window, NAMES);
    // The previous ledger ends mid-day: that day is reused and read again after where it ends.
    const lastReused = incremental.reuse[incremental.reuse.length - 1]!.day;
    expect(incremental.reads[0]!.start.slice(0, 10)).toBe(lastReused);
    for (const [plan, events] of [
      [planScan(undefined, window, NAMES), [...extra, ...inWindow]],
      [incremental, read(all, incremental.reads)],
    ] as const) {
      const acc = new UsageAccumulator(ACCOUNT, plan, window);
      events.forEach((e) => acc.add(e));
      const objects = acc.finish('eu-west-1', NAMES);
      const encoded = acc.finishEncoded('eu-west-1', NAMES);
      expect(JSON.stringify(encoded.ledger)).toBe(JSON.stringify(encodeLedger(objects.ledger)));
      expect(JSON.stringify(encoded.assumptions)).toBe(JSON.stringify(objects.assumptions));
      expect(encoded.reusedDays).toBe(objects.reusedDays);
      expect(encoded.ledger.rows.length).toBeGreaterThan(400);
    }
  });

  it('orders callers whose names compare equal (é composed and decomposed) as finish() does, first seen first', () => {
    const window = reviewWindow(end, 90);
    const firstDay = Date.parse(ceilDay(window.start));
    const composed = `arn:aws:sts::222222222222:federated-user/caf\u00e9`;
    const decomposed = `arn:aws:sts::222222222222:federated-user/cafe\u0301`;
    expect(composed.localeCompare(decomposed)).toBe(0);
    const acc = new UsageAccumulator(ACCOUNT, planScan(undefined, window, NAMES), window);
    // Day 0 sees the decomposed caller first, day 1 the composed one: within a day, ties keep the order seen that day.
    const callersByDay = [[decomposed, composed], [composed, decomposed]];
    callersByDay.forEach((callers, day) =>
      callers.forEach((callerArn, k) =>
        acc.add({
          eventId: `${day}-${k}`,
          eventName: 'AssumeRole',
          eventTime: new Date(firstDay + day * 24 * HOUR + k * HOUR).toISOString(),
          region: 'eu-west-1',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/r1`,
          callerAccountId: '222222222222',
          callerArn,
          mfa: false,
          externalId: false,
        }),
      ),
    );
    const objects = acc.finish('eu-west-1', NAMES);
    const encoded = acc.finishEncoded('eu-west-1', NAMES);
    expect(JSON.stringify(encoded.ledger)).toBe(JSON.stringify(encodeLedger(objects.ledger)));
    const keyOfRow = encoded.ledger.rows.map(([day, key]) => [day, encoded.ledger.keys[key]!.callerArn]);
    const [day0, day1] = objects.ledger.days.map((d) => d.day);
    expect(keyOfRow).toEqual([
      [day0, decomposed],
      [day0, composed],
      [day1, composed],
      [day1, decomposed],
    ]);
  });

  it('counts thousands of groups exactly, in both forms of the ledger', () => {
    const window = reviewWindow(end, 90);
    const acc = new UsageAccumulator(ACCOUNT, planScan(undefined, window, NAMES), window);
    // 150 roles x 2 callers x 30 days = 9,000 (role, caller, day) rows, well past what the counters first hold; role r is
    // assumed r % 3 + 1 times a day by each caller, with MFA on the first call.
    const firstDay = Date.parse(ceilDay(window.start));
    for (let day = 0; day < 30; day++) {
      for (let r = 0; r < 150; r++) {
        for (const caller of ['222222222222', '333333333333']) {
          for (let k = 0; k <= r % 3; k++) {
            acc.add({
              eventId: `${day}-${r}-${caller}-${k}`,
              eventName: 'AssumeRole',
              eventTime: new Date(firstDay + day * 24 * HOUR + (r % 20) * HOUR + k * 60_000).toISOString(),
              region: 'eu-west-1',
              roleArn: `arn:aws:iam::${ACCOUNT}:role/r${r}`,
              callerAccountId: caller,
              callerArn: `arn:aws:iam::${caller}:root`,
              mfa: k === 0,
              externalId: false,
            });
          }
        }
      }
    }
    const objects = acc.finish('eu-west-1', NAMES);
    const encoded = acc.finishEncoded('eu-west-1', NAMES);
    expect(encoded.ledger.rows).toHaveLength(9000);
    expect(JSON.stringify(encoded.ledger)).toBe(JSON.stringify(encodeLedger(objects.ledger)));
    expect(JSON.stringify(encoded.assumptions)).toBe(JSON.stringify(objects.assumptions));
    const r149 = encoded.assumptions.filter((a) => a.roleArn.endsWith(':role/r149'));
    expect(r149.map((a) => [a.callerAccountId, a.count, a.mfaCount])).toEqual([
      ['222222222222', 90, 30],
      ['333333333333', 90, 30],
    ]);
    expect(encoded.assumptions.reduce((s, a) => s + a.count, 0)).toBe(30 * 2 * (50 * 1 + 50 * 2 + 50 * 3));
  });

  it("skips the caller's copy of a cross-account call (the role is another account's)", () => {
    const window = reviewWindow(end, 90);
    const plan = planScan(undefined, window, NAMES);
    const acc = new UsageAccumulator('999999999999', plan, window);
    all.slice(-100).forEach((e) => acc.add(e));
    expect(acc.counted).toBe(0);
    expect(acc.assumptions()).toEqual([]);
  });
});

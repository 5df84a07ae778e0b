import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LookupEventsCommand, paginateLookupEvents, type Event, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import { startEmulator, type RunningEmulator, type SyntheticEvent } from '../../src/emulator/index.js';
import { assumeInto, clients, FIXED_NOW, rejection } from './helpers.js';

const DAY = 86_400_000;

async function lookupAll(emu: RunningEmulator, key: LookupAttributeKey, value: string, opts: { region?: string; credentials?: Awaited<ReturnType<typeof assumeInto>>; start?: Date; end?: Date; maxAttempts?: number } = {}): Promise<Event[]> {
  const client = clients.cloudtrail(emu, {
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
  });
  const events: Event[] = [];
  const input = { LookupAttributes: [{ AttributeKey: key, AttributeValue: value }], MaxResults: 50, ...(opts.start ? { StartTime: opts.start } : {}), ...(opts.end ? { EndTime: opts.end } : {}) };
  for await (const page of paginateLookupEvents({ client }, input)) events.push(...(page.Events ?? []));
  return events;
}

function truthIds(list: SyntheticEvent[]): string[] {
  return list.map((e) => e.eventId);
}

describe('CloudTrail LookupEvents (no rate limit)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 42, now: FIXED_NOW, lookupEventsPerSecond: 0 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('pages through every AssumeRole event of the region, newest first, with full records', async () => {
    const mgmt = emu.org.accounts[0];
    if (!mgmt) throw new Error('fixture');
    const events = await lookupAll(emu, 'EventName', 'AssumeRole');
    const truth = mgmt.events.filter((e) => e.region === 'us-east-1' && e.eventName === 'AssumeRole');
    expect(truth.length).toBeGreaterThan(100);
    expect(events.map((e) => e.EventId)).toEqual(truthIds(truth));
    const times = events.map((e) => e.EventTime?.getTime() ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const first = events[0];
    const t = truth[0];
    expect(first?.EventTime).toEqual(new Date(t?.eventTime ?? ''));
    expect(first?.EventSource).toBe('sts.amazonaws.com');
    expect(first?.ReadOnly).toBe('true');
    expect(first?.Resources).toEqual(t?.resources);
    expect(first?.CloudTrailEvent).toBe(t?.cloudTrailEvent);
    const rec = JSON.parse(first?.CloudTrailEvent ?? '{}') as Record<string, unknown>;
    expect(rec['eventName']).toBe('AssumeRole');
    expect(rec['recipientAccountId']).toBe(mgmt.id);
  });

  it('includes events exactly at StartTime and EndTime, and pages a time range of one event name in order', async () => {
    const mgmt = emu.org.accounts[0];
    if (!mgmt) throw new Error('fixture');
    const named = mgmt.events.filter((e) => e.region === 'us-east-1' && e.eventName === 'AssumeRole');
    const newest = named[10];
    const oldest = named[130];
    if (!newest || !oldest) throw new Error('fixture');
    const start = new Date(oldest.eventTime);
    const end = new Date(newest.eventTime);
    const got = await lookupAll(emu, 'EventName', 'AssumeRole', { start, end });
    const truth = named.filter((e) => Date.parse(e.eventTime) >= start.getTime() && Date.parse(e.eventTime) <= end.getTime());
    expect(truth.length).toBeGreaterThan(120);
    expect(got.map((e) => e.EventId)).toEqual(truthIds(truth));
    expect(got.some((e) => e.EventId === newest.eventId) && got.some((e) => e.EventId === oldest.eventId)).toBe(true);
  });

  it('filters by ResourceName, by region and by time range', async () => {
    const member = emu.org.accounts.find((a) => a.name === 'prod-payments');
    if (!member) throw new Error('fixture');
    const creds = await assumeInto(emu, member.id);
    const role = member.roles.find((r) => r.name === 'ci-deployer');
    const byRole = await lookupAll(emu, 'ResourceName', role?.arn ?? '', { credentials: creds });
    expect(byRole.map((e) => e.EventId)).toEqual(truthIds(member.events.filter((e) => e.region === 'us-east-1' && e.resources.some((r) => r.ResourceName === role?.arn))));
    expect(byRole.every((e) => e.EventName === 'AssumeRoleWithWebIdentity')).toBe(true);

    const eu = await lookupAll(emu, 'EventSource', 'sts.amazonaws.com', { credentials: creds, region: 'eu-west-1' });
    const euTruth = member.events.filter((e) => e.region === 'eu-west-1' && e.eventSource === 'sts.amazonaws.com');
    expect(euTruth.length).toBeGreaterThan(10);
    expect(eu.map((e) => e.EventId)).toEqual(truthIds(euTruth));

    const start = new Date(FIXED_NOW.getTime() - 10 * DAY);
    const end = new Date(FIXED_NOW.getTime() - 5 * DAY);
    const windowed = await lookupAll(emu, 'EventName', 'AssumeRoleWithSAML', { credentials: creds, start, end });
    const wTruth = member.events.filter((e) => e.region === 'us-east-1' && e.eventName === 'AssumeRoleWithSAML' && Date.parse(e.eventTime) >= start.getTime() && Date.parse(e.eventTime) <= end.getTime());
    expect(wTruth.length).toBeGreaterThan(0);
    expect(windowed.map((e) => e.EventId)).toEqual(truthIds(wTruth));
  });

  it('rejects two lookup attributes, bad MaxResults and a token from another query', async () => {
    const ct = clients.cloudtrail(emu);
    const two = await rejection(
      ct.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'EventName', AttributeValue: 'AssumeRole' },
            { AttributeKey: 'ReadOnly', AttributeValue: 'true' },
          ],
        }),
      ),
    );
    expect(two.name).toBe('InvalidLookupAttributesException');
    expect(two.$metadata?.httpStatusCode).toBe(400);
    expect((await rejection(ct.send(new LookupEventsCommand({ MaxResults: 51 })))).name).toBe('InvalidMaxResultsException');
    const page = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }));
    expect(page.NextToken).toBeTruthy();
    const reused = await rejection(ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRoleWithSAML' }], NextToken: page.NextToken })));
    expect(reused.name).toBe('InvalidNextTokenException');
  });

  it('refuses LookupEvents in an account configured to deny it', async () => {
    const member = emu.org.accounts[3];
    if (!member) throw new Error('fixture');
    emu.setFaults({ denyOperations: { [member.id]: ['cloudtrail:LookupEvents'] } });
    try {
      const creds = await assumeInto(emu, member.id);
      const err = await rejection(clients.cloudtrail(emu, { credentials: creds }).send(new LookupEventsCommand({})));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toContain('cloudtrail:LookupEvents');
      await expect(clients.cloudtrail(emu).send(new LookupEventsCommand({ MaxResults: 1 }))).resolves.toBeDefined();
    } finally {
      emu.setFaults({});
    }
  });
});

describe('CloudTrail LookupEvents rate limit (2 per second per account and region)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 42, now: FIXED_NOW });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('answers a burst beyond the limit with ThrottlingException, which maxAttempts 1 surfaces', async () => {
    // The buckets run on a clock this test moves, so a loaded machine stretching the burst changes nothing.
    let ms = 0;
    const frozen = await startEmulator({ seed: 42, now: FIXED_NOW, rateLimitClock: () => ms });
    try {
      const ct = clients.cloudtrail(frozen, { maxAttempts: 1 });
      const burst = async (n: number) => Promise.allSettled(Array.from({ length: n }, () => ct.send(new LookupEventsCommand({ MaxResults: 5 }))));
      const results = await burst(6);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { name: string; $metadata?: { httpStatusCode?: number } }] : []));
      expect(ok).toHaveLength(2);
      expect(failed).toHaveLength(4);
      for (const e of failed) {
        expect(e.name).toBe('ThrottlingException');
        expect(e.$metadata?.httpStatusCode).toBe(400);
      }
      expect(frozen.calls()['cloudtrail:LookupEvents']).toBe(6);
      // Half a second refills one token at 2 a second.
      ms += 500;
      expect((await burst(2)).filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      // Other regions have their own bucket.
      await expect(clients.cloudtrail(frozen, { maxAttempts: 1, region: 'eu-west-1' }).send(new LookupEventsCommand({ MaxResults: 5 }))).resolves.toBeDefined();
    } finally {
      await frozen.close();
    }
  });

  it('never throttles a client that paces itself at the limit', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    emu.resetCalls();
    const ct = clients.cloudtrail(emu, { maxAttempts: 1 });
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }], ...(token ? { NextToken: token } : {}) }));
      token = page.NextToken;
      pages++;
      if (token) await new Promise((r) => setTimeout(r, 520));
    } while (token && pages < 5);
    expect(pages).toBe(5);
    expect(emu.calls()['cloudtrail:LookupEvents']).toBe(5);
  });

  it('with the SDK default retries, completes a scan despite throttling', async () => {
    const sub = await startEmulator({ seed: 42, now: FIXED_NOW, lookupEventsPerSecond: 0, faults: { throttle: { 'cloudtrail:LookupEvents': 0.3 } } });
    try {
      const mgmt = sub.org.accounts[0];
      const role = mgmt?.roles.find((r) => r.name === 'AccessReviewReadOnly');
      const events = await lookupAll(sub, 'ResourceName', role?.arn ?? '');
      const truth = mgmt?.events.filter((e) => e.region === 'us-east-1' && e.resources.some((r) => r.ResourceName === role?.arn)) ?? [];
      expect(events.map((e) => e.EventId)).toEqual(truthIds(truth));
      const pages = Math.ceil(truth.length / 50);
      const calls = sub.calls()['cloudtrail:LookupEvents'] ?? 0;
      expect(calls).toBeGreaterThan(pages);
    } finally {
      await sub.close();
    }
  });
});

import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CoverageItem } from '../model/snapshot.js';
import type { ReadRange } from './usage-ledger.js';
import { describeError, failureFields, type DescribedError } from './errors.js';
import type { RateLimiter } from './rate-limiter.js';
import { parseAssumeEvent, type AssumeEvent } from './assume-events.js';
import { lookupPage } from './lookup-page.js';

export interface CloudTrailScan {
  eventsRead: number;
  /** Role assumptions handed to `onEvent`. */
  assumptions: number;
  /** Earliest event time seen, to report the window actually covered. */
  coverage: CoverageItem;
}

/**
 * Scans event history for role assumptions in one region: one scan per event name (LookupEvents takes a
 * single lookup attribute), not one per role, so the cost grows with events rather than roles. Each
 * assumption goes to `onEvent` as its page arrives: nothing here holds more than one page.
 */
export async function scanAssumeEvents(
  client: CloudTrailClient,
  opts: { accountId: string; region: string; ranges: readonly ReadRange[]; eventNames: string[]; limiter: RateLimiter; onEvent: (e: AssumeEvent) => void },
): Promise<CloudTrailScan> {
  let assumptions = 0;
  let eventsRead = 0;
  let apiCalls = 0;
  const failures: string[] = [];
  let denied = false;
  let lastFailure: DescribedError | undefined;
  scan: for (const range of opts.ranges) {
    for (const eventName of opts.eventNames) {
      let nextToken: string | undefined;
      try {
        do {
          await opts.limiter.take(`${opts.accountId}:${opts.region}`);
          apiCalls += 1;
          const page = await lookupPage(client, {
            LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
            StartTime: new Date(range.start),
            EndTime: new Date(range.end),
            MaxResults: 50,
            NextToken: nextToken,
          });
          for (const record of page.records) {
            eventsRead += 1;
            const parsed = parseAssumeEvent(record);
            // LookupEvents includes its EndTime; a range that meets a reused day must not.
            if (parsed && !(range.endExclusive && parsed.eventTime >= range.end)) {
              assumptions += 1;
              opts.onEvent(parsed);
            }
          }
          nextToken = page.nextToken;
        } while (nextToken);
      } catch (e) {
        const d = describeError(e, 'cloudtrail:LookupEvents');
        denied ||= d.accessDenied;
        lastFailure = d;
        failures.push(`${eventName}: ${d.detail}`);
        if (d.accessDenied) break scan;
      }
    }
  }
  const status = failures.length === 0 ? 'ok' : denied || assumptions === 0 ? 'failed' : 'partial';
  return {
    eventsRead,
    assumptions,
    coverage: {
      source: 'cloudtrail',
      region: opts.region,
      status,
      detail:
        failures.length > 0
          ? `Usage data incomplete: ${failures.join(' ')}`
          : `${eventsRead} event(s) read for ${opts.eventNames.join(', ')} ${opts.ranges.map((r) => `from ${r.start} to ${r.end}`).join(' and ')}.`,
      apiCalls,
      ...(lastFailure ? failureFields(lastFailure) : {}),
    },
  };
}

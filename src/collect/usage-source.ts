/**
 * Which CloudTrail source a run reads usage from, and the window that source can give. "auto" takes the
 * trail only when one object under its prefix can be listed: an empty or unreadable prefix would otherwise
 * pass for a quiet organization and every trust would look unused.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { EVENT_HISTORY_MAX_DAYS, type Config } from '../config/config.js';
import { describeError } from './errors.js';
import { trailAccountPrefix, trailUri, type TrailLocation } from './organization-trail.js';

export interface UsageSourceChoice {
  source: 'event-history' | 'organization-trail';
  lookbackDays: number;
  trail?: TrailLocation;
  /** Said in every CloudTrail coverage item: why this source, or why the window is shorter than asked. */
  note?: string;
}

export function trailLocation(settings: NonNullable<Config['cloudtrail']['organizationTrail']>): TrailLocation {
  return {
    bucket: settings.bucket,
    ...(settings.prefix ? { prefix: settings.prefix } : {}),
    ...(settings.organizationId ? { organizationId: settings.organizationId } : {}),
    ...(settings.kmsKeyId ? { kmsKeyId: settings.kmsKeyId } : {}),
  };
}

/** The prefix every log file of the trail starts with: AWSLogs/ or AWSLogs/<org-id>/. */
export function trailRootPrefix(loc: TrailLocation): string {
  return trailAccountPrefix(loc, '').replace(/\/\/$/, '/');
}

/** Lists at most one key under the trail's root; undefined when there is one, else why the trail is not usable. */
export async function probeTrail(s3: S3Client, loc: TrailLocation): Promise<string | undefined> {
  const prefix = trailRootPrefix(loc);
  try {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: prefix, MaxKeys: 1 }));
    return (page.KeyCount ?? page.Contents?.length ?? 0) > 0 ? undefined : `no log files under s3://${loc.bucket}/${prefix}`;
  } catch (e) {
    return describeError(e, `s3:ListBucket on ${trailUri(loc)}`).detail;
  }
}

function eventHistory(config: Config, reason?: string): UsageSourceChoice {
  const asked = config.cloudtrail.lookbackDays;
  const capped = asked > EVENT_HISTORY_MAX_DAYS;
  const notes = [
    ...(reason ? [`Usage source: CloudTrail event history (${reason}).`] : []),
    ...(capped
      ? [`${asked} days were asked for, but event history keeps ${EVENT_HISTORY_MAX_DAYS}: this review covers ${EVENT_HISTORY_MAX_DAYS} days (an organization trail gives up to 400).`]
      : []),
  ];
  return { source: 'event-history', lookbackDays: Math.min(asked, EVENT_HISTORY_MAX_DAYS), ...(notes.length > 0 ? { note: notes.join(' ') } : {}) };
}

/** `s3` is only called when a trail has to be probed ("auto"). */
export async function chooseUsageSource(config: Config, s3: () => S3Client): Promise<UsageSourceChoice> {
  const ct = config.cloudtrail;
  const settings = ct.organizationTrail;
  if (ct.source === 'event-history' || !settings) {
    return eventHistory(config, ct.source === 'auto' ? 'auto: no organization trail configured' : undefined);
  }
  const trail = trailLocation(settings);
  if (ct.source === 'organization-trail') return { source: 'organization-trail', lookbackDays: ct.lookbackDays, trail };
  const problem = await probeTrail(s3(), trail);
  if (problem) return eventHistory(config, `auto: the organization trail ${trailUri(trail)} could not be used: ${problem}`);
  return { source: 'organization-trail', lookbackDays: ct.lookbackDays, trail, note: `Usage source: the organization trail (auto).` };
}

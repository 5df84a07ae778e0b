/**
 * Which CloudTrail source a run reads usage from, and the window that source can give. "auto" takes Athena
 * when it is configured and its workgroup answers, else the trail when one object under its prefix can be
 * listed: an empty or unreadable prefix would otherwise pass for a quiet organization and every trust
 * would look unused.
 */
import { GetWorkGroupCommand, type AthenaClient } from '@aws-sdk/client-athena';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { EVENT_HISTORY_MAX_DAYS, type AthenaSettings, type Config } from '../config/config.js';
import { describeError } from './errors.js';
import { athenaResultRegionHint, trailRegionHint } from './region-hints.js';
import { bucketOf, resultLocation } from './athena-output.js';
import { trailAccountPrefix, trailUri, type TrailLocation } from './organization-trail.js';

export interface UsageSourceChoice {
  source: 'event-history' | 'organization-trail' | 'athena';
  lookbackDays: number;
  trail?: TrailLocation;
  athena?: AthenaSettings;
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
    const d = describeError(e, `s3:ListBucket on ${trailUri(loc)}`);
    return `${d.detail}${trailRegionHint(d)}`;
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

/**
 * GetWorkGroup: undefined when the workgroup answers and is enabled, else why Athena is not usable. With
 * `bucketRegion`, a result bucket S3 places in another region than Athena's also rules it out: Athena would
 * refuse every query.
 */
export async function probeAthena(
  athena: AthenaClient,
  settings: AthenaSettings,
  results?: { athenaRegion: string; bucketRegion: (bucket: string) => Promise<string | undefined> },
): Promise<string | undefined> {
  let output: string | undefined;
  let configured = settings.outputLocation !== undefined;
  try {
    const wg = await athena.send(new GetWorkGroupCommand({ WorkGroup: settings.workGroup }));
    if (wg.WorkGroup?.State === 'DISABLED') return `workgroup ${settings.workGroup} is disabled`;
    ({ output, configured } = resultLocation(settings.outputLocation, wg.WorkGroup?.Configuration));
    if (!output) return `neither cloudtrail.athena.outputLocation nor workgroup ${settings.workGroup} names a query result location`;
  } catch (e) {
    return describeError(e, `athena:GetWorkGroup ${settings.workGroup}`).detail;
  }
  const bucket = bucketOf(output);
  if (!results || !bucket) return undefined;
  const bucketRegion = await results.bucketRegion(bucket).catch(() => undefined);
  if (!bucketRegion || bucketRegion === results.athenaRegion) return undefined;
  return `its query result location is in another region.${athenaResultRegionHint({ output, bucketRegion, athenaRegion: results.athenaRegion, configured, workGroup: settings.workGroup })}`;
}

/** `s3` and `athena` are only called when a source has to be probed ("auto"). */
export async function chooseUsageSource(
  config: Config,
  s3: () => S3Client,
  athena?: () => AthenaClient,
  athenaResults?: Parameters<typeof probeAthena>[2],
): Promise<UsageSourceChoice> {
  const ct = config.cloudtrail;
  const settings = ct.organizationTrail;
  const trail = settings ? trailLocation(settings) : undefined;
  if (ct.source === 'athena' && ct.athena) return { source: 'athena', lookbackDays: ct.lookbackDays, athena: ct.athena, ...(trail ? { trail } : {}) };
  const reasons: string[] = [];
  if (ct.source === 'auto' && ct.athena && athena) {
    const problem = await probeAthena(athena(), ct.athena, athenaResults);
    if (!problem) return { source: 'athena', lookbackDays: ct.lookbackDays, athena: ct.athena, ...(trail ? { trail } : {}), note: 'Usage source: Amazon Athena over the organization trail (auto).' };
    reasons.push(`Athena could not be used: ${problem}`);
  }
  const why = (last: string): string => `auto: ${[...reasons, last].join('; ')}`;
  if (ct.source === 'event-history' || !trail) {
    return eventHistory(config, ct.source === 'auto' ? why('no organization trail configured') : undefined);
  }
  if (ct.source === 'organization-trail') return { source: 'organization-trail', lookbackDays: ct.lookbackDays, trail };
  const problem = await probeTrail(s3(), trail);
  if (problem) return eventHistory(config, why(`the organization trail ${trailUri(trail)} could not be used: ${problem}`));
  return { source: 'organization-trail', lookbackDays: ct.lookbackDays, trail, note: `Usage source: the organization trail (auto${reasons.length > 0 ? `; ${reasons.join('; ')}` : ''}).` };
}

/**
 * `check` for the Athena route: the workgroup answers and is enabled, a query result location is set
 * (configured or the workgroup's) and its bucket can be listed, the database exists, and a named table is
 * partitioned as the usage query needs. Nothing is written (no table is created, no query run). A failure
 * fails the check when Athena is the configured source, and warns under "auto" (the run then takes the
 * trail or event history).
 */
import { GetDatabaseCommand, GetTableMetadataCommand, GetWorkGroupCommand, type AthenaClient } from '@aws-sdk/client-athena';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { athenaRegion, type Config } from '../config/config.js';
import { describeError } from './errors.js';
import { athenaResultRegionHint } from './region-hints.js';
import { resultLocation } from './athena-output.js';
import type { CheckItem } from './preflight.js';

const CHECK = 'athena';

export async function preflightAthena(config: Config, athena: AthenaClient, s3: S3Client): Promise<CheckItem[]> {
  const settings = config.cloudtrail.athena;
  if (!config.cloudtrail.enabled || !settings || (config.cloudtrail.source !== 'athena' && config.cloudtrail.source !== 'auto')) return [];
  const bad: CheckItem['status'] = config.cloudtrail.source === 'athena' ? 'fail' : 'warn';
  const fallback = config.cloudtrail.source === 'auto' ? ' Under "auto" the run reads the trail directly, or event history, instead.' : '';
  const item = (ok: boolean, detail: string): CheckItem => ({ check: CHECK, status: ok ? 'ok' : bad, detail: ok ? detail : `${detail}${fallback}` });
  const items: CheckItem[] = [];

  let output = settings.outputLocation;
  let configured = output !== undefined;
  try {
    const wg = (await athena.send(new GetWorkGroupCommand({ WorkGroup: settings.workGroup }))).WorkGroup;
    const configuration = wg?.Configuration;
    const { enforced, ...where } = resultLocation(settings.outputLocation, configuration);
    ({ output, configured } = where);
    const enabled = wg?.State !== 'DISABLED';
    items.push(item(enabled, enabled ? `Workgroup ${settings.workGroup}${settings.region ? ` in ${settings.region}` : ''} enabled (${configuration?.EngineVersion?.EffectiveEngineVersion ?? 'engine version not given'}).` : `Workgroup ${settings.workGroup} is disabled.`));
    if (enforced && settings.outputLocation && enforced !== settings.outputLocation) {
      items.push({ check: CHECK, status: 'warn', detail: `Workgroup ${settings.workGroup} enforces its own result location ${enforced}: cloudtrail.athena.outputLocation is ignored.` });
    }
  } catch (e) {
    items.push(item(false, describeError(e, `athena:GetWorkGroup ${settings.workGroup}`).detail));
    return items;
  }

  const location = output ? /^s3:\/\/([^/]+)\/?(.*)$/.exec(output) : null;
  if (!location) {
    items.push(item(false, `No query result location: set cloudtrail.athena.outputLocation (s3://…), or a result location on workgroup ${settings.workGroup}.`));
  } else {
    const [, bucket = '', prefix = ''] = location;
    try {
      await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
      items.push(item(true, `Query results go to ${output} (bucket listable; writes are not tried).`));
    } catch (e) {
      const d = describeError(e, `s3:ListBucket on ${output}`);
      // The listing is signed for Athena's region, so a result bucket elsewhere is refused with its region.
      const region = d.bucketRegion ? athenaResultRegionHint({ output: location[0], bucketRegion: d.bucketRegion, athenaRegion: athenaRegion(config), configured, workGroup: settings.workGroup }) : '';
      items.push(item(false, `${d.detail}${region} Athena writes each query's result there with the collector's credentials.`));
    }
  }

  try {
    await athena.send(new GetDatabaseCommand({ CatalogName: settings.catalog, DatabaseName: settings.database }));
    items.push(item(true, `Database ${settings.catalog}.${settings.database} exists.`));
  } catch (e) {
    items.push(item(false, describeError(e, `athena:GetDatabase ${settings.database}`).detail));
    return items;
  }

  if (settings.table === 'create') {
    items.push(item(true, `The run creates its CloudTrail table in ${settings.database} if it is not there (CREATE EXTERNAL TABLE IF NOT EXISTS; needs glue:CreateTable).`));
    return items;
  }
  try {
    const meta = (await athena.send(new GetTableMetadataCommand({ CatalogName: settings.catalog, DatabaseName: settings.database, TableName: settings.table }))).TableMetadata;
    const partitions = (meta?.PartitionKeys ?? []).map((p) => (p.Name ?? '').toLowerCase());
    const missing = ['account', 'region', 'timestamp'].filter((p) => !partitions.includes(p));
    if (missing.length > 0) {
      items.push(item(false, `Table ${settings.database}.${settings.table} is not partitioned by ${missing.join(', ')}: the usage query needs AWS's organization-trail table with partition projection on account, region and timestamp (or table "create").`));
    } else {
      const userIdentity = meta?.Columns?.find((c) => c.Name?.toLowerCase() === 'useridentity')?.Type ?? '';
      const hasProvider = /[<,]\s*identityprovider\s*:/i.test(userIdentity);
      items.push(
        hasProvider
          ? { check: CHECK, status: 'ok', detail: `Table ${settings.database}.${settings.table} is partitioned by account, region and timestamp.` }
          : { check: CHECK, status: 'warn', detail: `Table ${settings.database}.${settings.table}'s useridentity has no identityprovider field: web identity callers cannot be named, so their trust grants may show as unused. Add the field, or use table "create".` },
      );
    }
  } catch (e) {
    items.push(item(false, describeError(e, `athena:GetTableMetadata ${settings.database}.${settings.table}`).detail));
  }
  return items;
}

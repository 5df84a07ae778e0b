/**
 * The stages after collection, shared by `run` (fresh snapshot) and `analyze` (stored snapshot):
 * analyze -> render -> deliver. Delivery failures never lose the run: the artifacts land in a local
 * folder whatever happens to the archive.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Review, Severity } from '../model/review.js';
import { SEVERITIES } from '../model/review.js';
import type { Artifact } from '../model/artifact.js';
import { analyze } from '../analyze/index.js';
import { renderAll } from '../render/index.js';
import { loadActionCatalog } from '../catalog/load-action-catalog.js';
import { loadVendors } from '../config/vendors.js';
import { encodeJson } from '../deliver/manifest.js';
import { scopeIdOf } from '../deliver/layout.js';
import { writeLocalRun, type LocalRun } from '../deliver/local-folder.js';
import { archiveRun, findPreviousRun, getObjectBytes, type ArchivedRun } from '../deliver/s3-archive.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from './log.js';
import { TOOL } from '../package-root.js';

export interface PipelineDeps {
  now: Date;
  log: Logger;
  /** Present when the archive is configured (run) or reachable (analyze with a bucket). */
  s3?: S3Client;
  previous?: Review;
}

export interface PipelineResult {
  review: Review;
  artifacts: Artifact[];
  local?: LocalRun;
  archive?: ArchivedRun;
  /** Problems delivering (the run itself succeeded). */
  deliveryErrors: string[];
}

export function scopeIdOfSnapshot(s: Snapshot): string {
  return scopeIdOf({
    mode: s.scope.mode,
    ...(s.organization?.id ? { organizationId: s.organization.id } : {}),
    ...(s.accounts[0] ? { accountId: s.accounts[0].accountId } : {}),
  });
}

export async function loadPreviousReview(s3: S3Client, config: Config, scopeId: string, runId: string, log: Logger): Promise<Review | undefined> {
  if (!config.archive.bucket) return undefined;
  try {
    const folder = await findPreviousRun(s3, { bucket: config.archive.bucket, prefix: config.archive.prefix }, scopeId, runId);
    if (!folder) return undefined;
    const body = await getObjectBytes(s3, config.archive.bucket, `${folder}/review.json`);
    if (!body) return undefined;
    log('previous.review', { key: `${folder}/review.json` });
    return JSON.parse(new TextDecoder().decode(body)) as Review;
  } catch (e) {
    log('previous.review.unavailable', { error: (e as Error).message }, 'warn');
    return undefined;
  }
}

export async function analyzeAndDeliver(snapshot: Snapshot, config: Config, deps: PipelineDeps): Promise<PipelineResult> {
  const catalog = await loadActionCatalog();
  const review = analyze(snapshot, {
    now: deps.now,
    settings: {
      unusedAfterDays: config.analysis.unusedAfterDays,
      extraVendors: config.analysis.vendors,
      suppressions: config.analysis.suppressions,
    },
    catalog,
    vendors: loadVendors(config.analysis.vendors),
    ...(deps.previous ? { previous: deps.previous } : {}),
  });
  deps.log('analyze.done', { roles: review.summary.roles, grants: review.summary.trustGrants, openFindings: review.summary.openFindings });

  const wanted = new Set(config.output.formats);
  const rendered = await renderAll(review, {
    pdf: wanted.has('pdf'),
    ...(config.chromiumPath ? { executablePath: config.chromiumPath } : {}),
  });
  const keep = (a: Artifact): boolean =>
    (a.name.endsWith('.html') && wanted.has('html')) ||
    (a.name.endsWith('.pdf') && wanted.has('pdf')) ||
    (a.name.endsWith('.json') && wanted.has('json')) ||
    (a.name.endsWith('.csv') && wanted.has('csv'));
  // The snapshot always travels with the review: it is what lets anyone re-run the analysis later.
  const artifacts = [...rendered.filter(keep), { name: 'snapshot.json', contentType: 'application/json', body: encodeJson(snapshot) }];
  deps.log('render.done', { artifacts: artifacts.map((a) => `${a.name} (${a.body.byteLength} B)`) });

  const run = { runId: snapshot.runId, scopeId: scopeIdOfSnapshot(snapshot), at: new Date(snapshot.collectedAt), tool: TOOL, artifacts };
  const result: PipelineResult = { review, artifacts, deliveryErrors: [] };

  if (config.archive.bucket && deps.s3) {
    try {
      result.archive = await archiveRun(deps.s3, {
        bucket: config.archive.bucket,
        prefix: config.archive.prefix,
        ...(config.archive.kmsKeyId ? { kmsKeyId: config.archive.kmsKeyId } : {}),
        ...(config.archive.objectLock ? { objectLock: config.archive.objectLock } : {}),
      }, run);
      deps.log('archive.done', { bucket: result.archive.bucket, prefix: result.archive.prefix });
    } catch (e) {
      const msg = `archive to s3://${config.archive.bucket} failed: ${(e as Error).message}`;
      result.deliveryErrors.push(msg);
      deps.log('archive.failed', { error: msg }, 'error');
    }
  }
  const dir = config.output.dir ?? (result.archive ? undefined : path.join(tmpdir(), 'access-review'));
  if (dir) {
    result.local = await writeLocalRun(dir, run);
    deps.log('local.done', { dir: result.local.runDir });
  }
  return result;
}

export function countAtOrAbove(review: Review, threshold: Severity): number {
  const limit = SEVERITIES.indexOf(threshold);
  return review.findings.filter((f) => f.status !== 'suppressed' && SEVERITIES.indexOf(f.severity) <= limit).length;
}

/**
 * The stages after collection, shared by `run` (fresh snapshot) and `analyze` (stored snapshot):
 * analyze -> render -> deliver. Delivery failures never lose the run: the artifacts land in a local
 * folder whatever happens to the archive.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Review } from '../model/review.js';
import type { Artifact } from '../model/artifact.js';
import { analyze } from '../analyze/index.js';
import { CONTENT_TYPES, renderAll, renderHtml, renderPdf } from '../render/index.js';
import { loadActionCatalog } from '../catalog/load-action-catalog.js';
import { loadVendors } from '../config/vendors.js';
import { encodeCompactJson } from '../deliver/manifest.js';
import { scopeIdOf } from '../deliver/layout.js';
import { writeLocalRun, type LocalRun } from '../deliver/local-folder.js';
import { archiveRun, getObjectBytes, type ArchivedRun } from '../deliver/s3-archive.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { emailReport, type EmailSender, type EmailSent } from './email-step.js';
import type { Logger } from './log.js';
import { TOOL } from '../package-root.js';

export interface PipelineDeps {
  now: Date;
  log: Logger;
  /** Present when the archive is configured (run) or reachable (analyze with a bucket). */
  s3?: S3Client;
  previous?: Review;
  /** Present when this run emails the report (`run` with email configured); re-analysis never emails. */
  sendEmail?: EmailSender;
}

export interface PipelineResult {
  review: Review;
  artifacts: Artifact[];
  local?: LocalRun;
  archive?: ArchivedRun;
  email?: EmailSent;
  /** What did not get out (a PDF that could not be printed, an archive write that failed); the rest did. */
  deliveryErrors: string[];
}

export function scopeIdOfSnapshot(s: Snapshot): string {
  return scopeIdOf({
    mode: s.scope.mode,
    ...(s.organization?.id ? { organizationId: s.organization.id } : {}),
    ...(s.accounts[0] ? { accountId: s.accounts[0].accountId } : {}),
  });
}

export async function loadPreviousReview(s3: S3Client, config: Config, folderOf: Promise<string | undefined>, log: Logger): Promise<Review | undefined> {
  if (!config.archive.bucket) return undefined;
  try {
    const folder = await folderOf;
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

interface RunArtifacts {
  runId: string;
  scopeId: string;
  at: Date;
  tool: typeof TOOL;
  artifacts: Artifact[];
}

function analyzeSnapshot(snapshot: Snapshot, config: Config, deps: PipelineDeps, catalog: Awaited<ReturnType<typeof loadActionCatalog>>): Review {
  return analyze(snapshot, {
    now: deps.now,
    settings: {
      unusedAfterDays: config.analysis.unusedAfterDays,
      extraVendors: config.analysis.vendors,
      suppressions: config.analysis.suppressions,
      leastPrivilege: config.analysis.leastPrivilege,
    },
    catalog,
    vendors: loadVendors(config.analysis.vendors),
    ...(deps.previous ? { previous: deps.previous } : {}),
  });
}

/**
 * Renders every wanted format. A PDF that cannot be printed (no Chromium, a crash) costs the PDF only:
 * the HTML, JSON and CSV still go out, and the problem is reported.
 */
async function renderArtifacts(review: Review, config: Config, log: Logger): Promise<{ artifacts: Artifact[]; problems: string[]; pdfProblem?: string }> {
  const wanted = new Set(config.output.formats);
  const rendered = await renderAll(review, { pdf: false });
  const problems: string[] = [];
  let pdfProblem: string | undefined;
  if (wanted.has('pdf')) {
    try {
      // The archived HTML always has every role; an abridged PDF is printed from its own rendering.
      const html =
        config.output.pdfRoles === 'flagged'
          ? await renderHtml(review, { roleDetail: 'flagged' })
          : new TextDecoder().decode(rendered.find((a) => a.name === 'report.html')?.body);
      const pdf = await renderPdf(html, { accessible: config.output.pdfAccessible, ...(config.chromiumPath ? { executablePath: config.chromiumPath } : {}) });
      rendered.push({ name: 'report.pdf', contentType: CONTENT_TYPES.pdf, body: pdf });
    } catch (e) {
      pdfProblem = (e as Error).message;
      const msg = `report.pdf could not be printed: ${pdfProblem}`;
      problems.push(msg);
      log('render.pdf.failed', { error: msg }, 'error');
    }
  }
  const keep = (a: Artifact): boolean =>
    (a.name.endsWith('.html') && wanted.has('html')) ||
    (a.name.endsWith('.pdf') && wanted.has('pdf')) ||
    (a.name.endsWith('.json') && wanted.has('json')) ||
    (a.name.endsWith('.csv') && wanted.has('csv'));
  return { artifacts: rendered.filter(keep), problems, ...(pdfProblem ? { pdfProblem } : {}) };
}

/** S3 first, then the local folder; with no archive and no folder configured, a temporary folder. */
async function deliver(run: RunArtifacts, config: Config, deps: PipelineDeps): Promise<{ archive?: ArchivedRun; local?: LocalRun; problems: string[] }> {
  const out: { archive?: ArchivedRun; local?: LocalRun; problems: string[] } = { problems: [] };
  if (config.archive.bucket && deps.s3) {
    try {
      out.archive = await archiveRun(
        deps.s3,
        {
          bucket: config.archive.bucket,
          prefix: config.archive.prefix,
          ...(config.archive.kmsKeyId ? { kmsKeyId: config.archive.kmsKeyId } : {}),
          ...(config.archive.objectLock ? { objectLock: config.archive.objectLock } : {}),
        },
        run,
      );
      deps.log('archive.done', { bucket: out.archive.bucket, prefix: out.archive.prefix });
    } catch (e) {
      const msg = `archive to s3://${config.archive.bucket} failed: ${(e as Error).message}`;
      out.problems.push(msg);
      deps.log('archive.failed', { error: msg }, 'error');
    }
  }
  const dir = config.output.dir ?? (out.archive ? undefined : path.join(tmpdir(), 'access-review'));
  if (dir) {
    out.local = await writeLocalRun(dir, run);
    deps.log('local.done', { dir: out.local.runDir });
  }
  return out;
}

export async function analyzeAndDeliver(snapshot: Snapshot, config: Config, deps: PipelineDeps): Promise<PipelineResult> {
  // The snapshot always travels with the review: it is what lets anyone re-run the analysis later.
  const snapshotArtifact: Artifact = { name: 'snapshot.json', contentType: 'application/json', body: encodeCompactJson(snapshot) };
  const base = { runId: snapshot.runId, scopeId: scopeIdOfSnapshot(snapshot), at: new Date(snapshot.collectedAt), tool: TOOL };
  let review: Review;
  try {
    review = analyzeSnapshot(snapshot, config, deps, await loadActionCatalog());
  } catch (e) {
    // Hours of collection must not be lost to an analysis bug: keep the snapshot, then fail loudly.
    const saved = await deliver({ ...base, artifacts: [snapshotArtifact] }, config, deps);
    const where = saved.archive ? `s3://${saved.archive.bucket}/${saved.archive.prefix}/` : (saved.local?.runDir ?? 'nowhere');
    throw new Error(`analysis failed: ${(e as Error).message}. The collected snapshot was saved to ${where}; re-run it with "access-review analyze --snapshot".`);
  }
  deps.log('analyze.done', { roles: review.summary.roles, grants: review.summary.trustGrants, openFindings: review.summary.openFindings });

  const rendered = await renderArtifacts(review, config, deps.log);
  const artifacts = [...rendered.artifacts, snapshotArtifact];
  deps.log('render.done', { artifacts: artifacts.map((a) => `${a.name} (${a.body.byteLength} B)`) });
  const delivered = await deliver({ ...base, artifacts }, config, deps);
  const mailed = await sendEmail(review, artifacts, delivered, rendered.pdfProblem, config, deps, snapshot.runId);
  return {
    review,
    artifacts,
    ...(delivered.archive ? { archive: delivered.archive } : {}),
    ...(delivered.local ? { local: delivered.local } : {}),
    ...(mailed.sent ? { email: mailed.sent } : {}),
    deliveryErrors: [...rendered.problems, ...delivered.problems, ...mailed.problems],
  };
}

/** After the archive, so a too-large PDF can be linked; a failed email is a delivery error, not a lost run. */
async function sendEmail(
  review: Review,
  artifacts: Artifact[],
  delivered: { archive?: ArchivedRun; local?: LocalRun },
  pdfProblem: string | undefined,
  config: Config,
  deps: PipelineDeps,
  runId: string,
): Promise<{ sent?: EmailSent; problems: string[] }> {
  if (!config.email || !deps.sendEmail) return { problems: [] };
  const recipients = config.email.to.length + config.email.cc.length;
  try {
    const sent = await emailReport(deps.sendEmail, {
      review,
      artifacts,
      email: config.email,
      runId,
      now: deps.now,
      ...(delivered.archive ? { archive: { bucket: delivered.archive.bucket, prefix: delivered.archive.prefix } } : {}),
      ...(delivered.local ? { localDir: delivered.local.runDir } : {}),
      ...(pdfProblem ? { pdfProblem } : {}),
      ...(deps.s3 ? { s3: deps.s3 } : {}),
    });
    deps.log('email.sent', { messageId: sent.messageId, recipients: sent.recipients, mode: sent.mode, bytes: sent.bytes });
    return { sent, problems: [] };
  } catch (e) {
    const msg = `email to ${recipients} recipient(s) failed: ${(e as Error).message}`;
    deps.log('email.failed', { error: msg }, 'error');
    return { problems: [msg] };
  }
}

export { countAtOrAbove } from './exit.js';

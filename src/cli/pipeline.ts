/**
 * The stages after collection, shared by `run` (fresh snapshot) and `analyze` (stored snapshot):
 * analyze -> render -> deliver. A delivery target that fails (archive, local folder, email) costs that
 * target only: the others still get the run, and the failure is reported (exit 3) and named in the email.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Review } from '../model/review.js';
import type { Artifact } from '../model/artifact.js';
import { analyze } from '../analyze/index.js';
import { CONTENT_TYPES, renderAll, renderReportPdfToFile } from '../render/index.js';
import { loadActionCatalog } from '../catalog/load-action-catalog.js';
import { loadVendors } from '../config/vendors.js';
import { configDigest, runConfiguration } from '../config/digest.js';
import { artifactSize } from '../deliver/artifact-io.js';
import { encodeSnapshotJson } from './snapshot-json.js';
import { scopeIdOf } from '../deliver/layout.js';
import { writeLocalRun, type LocalRun } from '../deliver/local-folder.js';
import { archiveRun, type ArchivedRun } from '../deliver/s3-archive.js';
import { archiveRegionRefusal } from '../collect/region-hints.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { emailReport, type EmailSender, type EmailSent } from './email-step.js';
import { emailOwners, renderOwnerReports, type OwnerReport } from './owner-reports.js';
import type { Logger } from './log.js';
import { checkStop, InterruptedError } from './interrupt.js';
import type { SecurityHubExport } from '../deliver/security-hub.js';
import { TOOL } from '../package-root.js';

export interface PipelineDeps {
  now: Date;
  log: Logger;
  /** Present when the archive is configured (run) or reachable (analyze with a bucket). */
  s3?: S3Client;
  previous?: Review;
  /** Why a previous review that exists could not be compared with; the review carries it to the report. */
  previousUnavailable?: string;
  /** Present when this run emails the report (`run` with email configured); re-analysis never emails. */
  sendEmail?: EmailSender;
  /** Aborted by SIGTERM/SIGINT: the run stops at the next stage boundary (see interrupt.ts). */
  stop?: AbortSignal;
  /** Present when the findings go to AWS Security Hub too (`securityHub.enabled`). */
  exportFindings?: (review: Review) => Promise<SecurityHubExport>;
}

export interface PipelineResult {
  review: Review;
  artifacts: Artifact[];
  local?: LocalRun;
  archive?: ArchivedRun;
  email?: EmailSent;
  /** One scoped report per owner (owners.reports), archived as owners/<id>/…, and what was mailed to whom. */
  owners?: OwnerReport[];
  securityHub?: SecurityHubExport;
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

interface RunArtifacts {
  runId: string;
  scopeId: string;
  at: Date;
  tool: typeof TOOL;
  artifacts: Artifact[];
  configSha256?: string;
}

function analyzeSnapshot(snapshot: Snapshot, config: Config, deps: PipelineDeps, catalog: Awaited<ReturnType<typeof loadActionCatalog>>): Review {
  const vendors = loadVendors(config.analysis.vendors);
  return analyze(snapshot, {
    now: deps.now,
    settings: {
      unusedAfterDays: config.analysis.unusedAfterDays,
      extraVendors: config.analysis.vendors,
      suppressions: config.analysis.suppressions,
      leastPrivilege: config.analysis.leastPrivilege,
      owners: config.owners,
    },
    catalog,
    vendors,
    configuration: runConfiguration(config, vendors.length, snapshot.scope),
    ...(deps.previous ? { previous: deps.previous } : {}),
  });
}

/**
 * Renders every wanted format. A PDF that cannot be printed (no Chromium, a crash) costs the PDF only:
 * the HTML, JSON and CSV still go out, and the problem is reported.
 */
async function renderArtifacts(review: Review, config: Config, log: Logger, pdfDir: string, stop?: AbortSignal): Promise<{ artifacts: Artifact[]; problems: string[]; pdfProblem?: string }> {
  const wanted = new Set(config.output.formats);
  const rendered: Artifact[] = await renderAll(review, { pdf: false });
  const problems: string[] = [];
  let pdfProblem: string | undefined;
  if (wanted.has('pdf')) {
    try {
      // The archived HTML always has every role; the PDF is printed from its own rendering (abridged when
      // asked, and with page numbers in its references).
      log('render.pdf.start', { roles: review.summary.roles, pdfRoles: config.output.pdfRoles });
      // Streamed to a file and handed on as one: the joined PDF of a large organization is never held in memory.
      const pdf = await renderReportPdfToFile(review, path.join(pdfDir, 'report.pdf'), {
        html: { roleDetail: config.output.pdfRoles },
        pdf: {
          accessible: config.output.pdfAccessible,
          paper: config.output.paper,
          ...(config.chromiumPath ? { executablePath: config.chromiumPath } : {}),
          ...(stop ? { signal: stop } : {}),
        },
      });
      rendered.push({ name: 'report.pdf', contentType: CONTENT_TYPES.pdf, file: pdf.file, bytes: pdf.bytes });
    } catch (e) {
      // Chromium closed because the run was told to stop is not a print failure: the run stops, PDF-less
      // reports are for printers that fail.
      checkStop(stop, 'PDF printing');
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
    deps.log('archive.start', { bucket: config.archive.bucket, artifacts: run.artifacts.length });
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
      // A bucket in another region: say which region and what to change, not only S3's bare refusal.
      const msg = `archive to s3://${config.archive.bucket} failed: ${archiveRegionRefusal(e, 's3:PutObject', config.aws.region) ?? (e as Error).message}`;
      out.problems.push(msg);
      deps.log('archive.failed', { error: msg }, 'error');
    }
  }
  const dir = config.output.dir ?? (out.archive ? undefined : path.join(tmpdir(), 'access-review'));
  if (dir) {
    // The local folder is a delivery target like the archive: a folder that cannot be written (a file in
    // the way, read-only, full) costs that copy, not the run the archive already holds.
    try {
      out.local = await writeLocalRun(dir, run);
      deps.log('local.done', { dir: out.local.runDir });
    } catch (e) {
      const msg = `local folder ${dir} could not be written: ${(e as Error).message}`;
      out.problems.push(msg);
      deps.log('local.failed', { error: msg }, 'error');
    }
  }
  return out;
}

export async function analyzeAndDeliver(snapshot: Snapshot, config: Config, deps: PipelineDeps): Promise<PipelineResult> {
  // The printed PDF waits here as a file until every target has it (see FileArtifact), then goes.
  const pdfDir = await mkdtemp(path.join(tmpdir(), 'access-review-pdf-'));
  try {
    return await analyzeRenderDeliver(snapshot, config, deps, pdfDir);
  } finally {
    await rm(pdfDir, { recursive: true, force: true });
  }
}

/** A file artifact outlives the run's temporary folder only as its copy in the local folder; without one it is left out. */
function resultArtifacts(artifacts: Artifact[], local: LocalRun | undefined): Artifact[] {
  return artifacts.flatMap((a): Artifact[] => (a.body !== undefined ? [a] : local ? [{ ...a, file: path.join(local.runDir, a.name) }] : []));
}

async function analyzeRenderDeliver(snapshot: Snapshot, config: Config, deps: PipelineDeps, pdfDir: string): Promise<PipelineResult> {
  // The snapshot always travels with the review: it is what lets anyone re-run the analysis later.
  const snapshotArtifact: Artifact = { name: 'snapshot.json', contentType: 'application/json', body: encodeSnapshotJson(snapshot) };
  const base: Omit<RunArtifacts, 'artifacts'> = {
    runId: snapshot.runId,
    scopeId: scopeIdOfSnapshot(snapshot),
    at: new Date(snapshot.collectedAt),
    tool: TOOL,
    configSha256: configDigest(config),
  };
  let review: Review;
  try {
    review = analyzeSnapshot(snapshot, config, deps, await loadActionCatalog());
  } catch (e) {
    // Hours of collection must not be lost to an analysis bug: keep the snapshot, then fail loudly.
    const saved = await deliver({ ...base, artifacts: [snapshotArtifact] }, config, deps);
    const where = saved.archive ? `s3://${saved.archive.bucket}/${saved.archive.prefix}/` : (saved.local?.runDir ?? 'nowhere');
    throw new Error(`analysis failed: ${(e as Error).message}. The collected snapshot was saved to ${where}; re-run it with "access-review analyze --snapshot".`);
  }
  checkStop(deps.stop, 'analysis');
  if (deps.previousUnavailable) review.changesUnavailableReason = deps.previousUnavailable;
  deps.log('analyze.done', { roles: review.summary.roles, grants: review.summary.trustGrants, openFindings: review.summary.openFindings });

  const rendered = await renderArtifacts(review, config, deps.log, pdfDir, deps.stop);
  const owned = await renderOwnerReports(review, config, {
    log: deps.log,
    ...(deps.previous ? { previous: deps.previous } : {}),
    ...(deps.stop ? { stop: deps.stop } : {}),
  });
  const artifacts = [...rendered.artifacts, ...owned.reports.flatMap((r) => r.artifacts), snapshotArtifact];
  deps.log('render.done', { artifacts: artifacts.map((a) => `${a.name} (${artifactSize(a)} B)`) });
  checkStop(deps.stop, 'rendering');
  // A signal from here on lets the archive and the local copy finish (each whole, the manifest last) and
  // skips the email: the recipients are not told about a run its operator stopped.
  const delivered = await deliver({ ...base, artifacts }, config, deps);
  if (deps.stop?.aborted) {
    throw new InterruptedError(String(deps.stop.reason), 'delivery', `${landedNote(delivered)}${config.email && deps.sendEmail ? ' and the email was not sent' : ''}`);
  }
  const exported = await exportFindings(review, deps);
  // The email names every target that failed, Security Hub included, so its readers know what did not land.
  const mailed = await sendEmail(review, artifacts, { ...delivered, problems: [...delivered.problems, ...exported.problems] }, rendered.pdfProblem, config, deps, snapshot.runId);
  // A signal while the message was in flight: everything went out, and the exit code still says it was stopped.
  checkStop(deps.stop, 'email', `${landedNote(delivered)} and the email ${mailed.sent ? 'was sent' : 'failed'}`);
  // Owners hear about the archive and the folder, not about Security Hub: its failures name other owners' findings.
  const ownerMailProblems =
    deps.sendEmail && owned.reports.length > 0
      ? await emailOwners(
          deps.sendEmail,
          owned.reports,
          config,
          {
            artifacts,
            runId: snapshot.runId,
            now: deps.now,
            ...(delivered.archive ? { archive: { bucket: delivered.archive.bucket, prefix: delivered.archive.prefix } } : {}),
            ...(delivered.local ? { localDir: delivered.local.runDir } : {}),
            ...(deps.s3 ? { s3: deps.s3 } : {}),
            deliveryProblems: delivered.problems,
          },
          deps.log,
          deps.stop,
        )
      : [];
  const toldOwners = owned.reports.filter((r) => r.email).length;
  checkStop(deps.stop, 'owner emails', `${landedNote(delivered)}; ${toldOwners} of ${owned.reports.length} owner email(s) were sent`);
  return {
    review,
    artifacts: resultArtifacts(artifacts, delivered.local),
    ...(delivered.archive ? { archive: delivered.archive } : {}),
    ...(delivered.local ? { local: delivered.local } : {}),
    ...(mailed.sent ? { email: mailed.sent } : {}),
    ...(owned.reports.length > 0 ? { owners: owned.reports } : {}),
    ...(exported.result ? { securityHub: exported.result } : {}),
    deliveryErrors: [...rendered.problems, ...owned.problems, ...delivered.problems, ...exported.problems, ...mailed.problems, ...ownerMailProblems],
  };
}

/** Where a stopped run's report is, whole, and what did not get there. */
function landedNote(delivered: { archive?: ArchivedRun; local?: LocalRun; problems: string[] }): string {
  const landed = [delivered.archive ? `s3://${delivered.archive.bucket}/${delivered.archive.prefix}/` : undefined, delivered.local?.runDir].filter((w) => w !== undefined);
  const where = `the report was delivered whole to ${landed.length > 0 ? landed.join(' and ') : 'nowhere'}`;
  return delivered.problems.length > 0 ? `${where} (not delivered: ${delivered.problems.join('; ')})` : where;
}

/** Every finding Security Hub did not take is logged by id; together they are one delivery error. */
async function exportFindings(review: Review, deps: PipelineDeps): Promise<{ result?: SecurityHubExport; problems: string[] }> {
  if (!deps.exportFindings) return { problems: [] };
  try {
    const result = await deps.exportFindings(review);
    for (const f of result.failures) deps.log('securityhub.finding.failed', { id: f.id, error: f.error }, 'error');
    deps.log('securityhub.done', { imported: result.imported, archived: result.archived, failed: result.failures.length });
    if (result.failures.length === 0) return { result, problems: [] };
    const shown = result.failures.slice(0, 3).map((f) => `${f.id} (${f.error})`).join('; ');
    const more = result.failures.length > 3 ? `; and ${result.failures.length - 3} more in the log` : '';
    return { result, problems: [`Security Hub did not take ${result.failures.length} finding(s): ${shown}${more}`] };
  } catch (e) {
    const msg = `Security Hub export failed: ${(e as Error).message}`;
    deps.log('securityhub.failed', { error: msg }, 'error');
    return { problems: [msg] };
  }
}

/** After the archive, so a too-large PDF can be linked; a failed email is a delivery error, not a lost run. */
async function sendEmail(
  review: Review,
  artifacts: Artifact[],
  delivered: { archive?: ArchivedRun; local?: LocalRun; problems: string[] },
  pdfProblem: string | undefined,
  config: Config,
  deps: PipelineDeps,
  runId: string,
): Promise<{ sent?: EmailSent; problems: string[] }> {
  if (!config.email || !deps.sendEmail) return { problems: [] };
  const recipients = config.email.to.length + config.email.cc.length;
  deps.log('email.start', { recipients });
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
      ...(delivered.problems.length > 0 ? { deliveryProblems: delivered.problems } : {}),
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

/**
 * One collection, many reports (issue 10): after the organization-wide report, one report per owner, the
 * same review scoped to what the owner owns (src/analyze/scope-review.ts), archived inside the run as
 * owners/<owner-id>/… and emailed to the owner. One owner's failure (a PDF that cannot be printed, a mail
 * server that refuses an address) costs that owner's report or message only, and is a delivery error.
 */
import type { Config } from '../config/config.js';
import type { Artifact } from '../model/artifact.js';
import type { OwnerSummary } from '../model/ownership.js';
import type { Review } from '../model/review.js';
import { scopeOfOwner, scopeReview } from '../analyze/scope-review.js';
import { CONTENT_TYPES, openPdfRenderer, renderFindingsCsv, renderGrantsCsv, renderHtml, renderReportPdf, renderReviewJson, type PdfRenderer } from '../render/index.js';
import { isAllClear } from '../render/all-clear-email.js';
import { emailReport, type EmailSender, type EmailSent, type ReportEmailInput } from './email-step.js';
import { checkStop } from './interrupt.js';
import type { Logger } from './log.js';

export const OWNERS_DIR = 'owners';

/** Owner ids become archive keys and folder names: lower-case letters, digits and '-', as the contract says. */
const OWNER_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export interface OwnerReport {
  owner: OwnerSummary;
  review: Review;
  artifacts: Artifact[];
  pdfProblem?: string;
  email?: EmailSent;
  /** Why the owner got no email, when they got none (no address, all clear and "skip", no email configured). */
  noEmail?: string;
}

export function ownerArtifactName(ownerId: string, name: string): string {
  return `${OWNERS_DIR}/${ownerId}/${name}`;
}

/** Whether this run renders owner reports, and for whom. */
export function reportOwners(review: Review, config: Pick<Config, 'owners'>): OwnerSummary[] {
  if (!config.owners?.reports) return [];
  return review.ownership?.owners ?? [];
}

const utf8 = new TextEncoder();

/**
 * Renders every owner's report in the configured formats. The PDFs share one Chromium: a browser per owner
 * would cost a second or more each.
 */
export async function renderOwnerReports(
  review: Review,
  config: Config,
  deps: { log: Logger; previous?: Review; stop?: AbortSignal },
): Promise<{ reports: OwnerReport[]; problems: string[] }> {
  const owners = reportOwners(review, config);
  const problems: string[] = [];
  if (owners.length === 0) return { reports: [], problems };
  const wanted = new Set(config.output.formats);
  const reports: OwnerReport[] = [];
  let renderer: PdfRenderer | undefined;
  let rendererProblem: string | undefined;
  try {
    for (const owner of owners) {
      checkStop(deps.stop, 'owner reports');
      if (!OWNER_ID.test(owner.id)) {
        problems.push(`owner ${JSON.stringify(owner.name)}: id ${JSON.stringify(owner.id)} is not a plain lower-case name, so its report was not written`);
        continue;
      }
      const scoped = scopeReview(review, scopeOfOwner(owner, review.ownership), deps.previous ? { previous: deps.previous } : {});
      const name = (file: string): string => ownerArtifactName(owner.id, file);
      const artifacts: Artifact[] = [];
      if (wanted.has('html')) artifacts.push({ name: name('report.html'), contentType: CONTENT_TYPES.html, body: utf8.encode(await renderHtml(scoped, { interactive: true })) });
      if (wanted.has('json')) artifacts.push({ name: name('report.json'), contentType: CONTENT_TYPES.json, body: utf8.encode(renderReviewJson(scoped)) });
      if (wanted.has('csv')) {
        artifacts.push(
          { name: name('findings.csv'), contentType: CONTENT_TYPES.csv, body: utf8.encode(renderFindingsCsv(scoped)) },
          { name: name('trust-grants.csv'), contentType: CONTENT_TYPES.csv, body: utf8.encode(renderGrantsCsv(scoped)) },
        );
      }
      const report: OwnerReport = { owner, review: scoped, artifacts };
      if (wanted.has('pdf')) {
        try {
          if (!renderer && rendererProblem === undefined) {
            renderer = await openPdfRenderer({
              accessible: config.output.pdfAccessible,
              paper: config.output.paper,
              ...(config.chromiumPath ? { executablePath: config.chromiumPath } : {}),
              ...(deps.stop ? { signal: deps.stop } : {}),
            });
          }
          if (!renderer) throw new Error(rendererProblem ?? 'no PDF renderer');
          const pdf = await renderReportPdf(scoped, { html: { roleDetail: config.output.pdfRoles }, renderer });
          artifacts.push({ name: name('report.pdf'), contentType: CONTENT_TYPES.pdf, body: pdf });
        } catch (e) {
          checkStop(deps.stop, 'owner PDF printing');
          if (!renderer) rendererProblem = (e as Error).message;
          report.pdfProblem = (e as Error).message;
          problems.push(`${name('report.pdf')} could not be printed: ${report.pdfProblem}`);
          deps.log('render.owner.pdf.failed', { owner: owner.id, error: report.pdfProblem }, 'error');
        }
      }
      deps.log('render.owner.done', { owner: owner.id, roles: scoped.summary.roles, openFindings: scoped.summary.openFindings, artifacts: artifacts.length });
      reports.push(report);
    }
  } finally {
    await renderer?.close();
  }
  return { reports, problems };
}

/**
 * Each owner with an address gets their own message: their scoped report (attached, or linked when large),
 * or a short all-clear note when nothing of theirs is open (none with owners.allClear "skip"). Every
 * owner is tried; each failure is one problem.
 */
export async function emailOwners(
  sender: EmailSender,
  reports: OwnerReport[],
  config: Config,
  base: Omit<ReportEmailInput, 'review' | 'email' | 'pdfName' | 'messageTag' | 'pdfProblem' | 'deliveryProblems'> & { deliveryProblems?: string[] },
  log: Logger,
  stop?: AbortSignal,
): Promise<string[]> {
  const problems: string[] = [];
  const email = config.email;
  if (!email) return problems;
  for (const report of reports) {
    // A stopped run tells no more owners; the caller reports how many were told.
    if (stop?.aborted) break;
    const { owner } = report;
    if (owner.emails.length === 0) {
      report.noEmail = 'no email address for this owner';
      continue;
    }
    const clear = isAllClear(report.review);
    if (clear && config.owners.allClear === 'skip') {
      report.noEmail = 'nothing open, and owners.allClear is "skip"';
      continue;
    }
    try {
      report.email = await emailReport(
        sender,
        {
          ...base,
          review: report.review,
          email: { ...email, to: owner.emails, cc: [] },
          pdfName: ownerArtifactName(owner.id, 'report.pdf'),
          messageTag: owner.id,
          ...(report.pdfProblem ? { pdfProblem: report.pdfProblem } : {}),
          ...(base.deliveryProblems && base.deliveryProblems.length > 0 ? { deliveryProblems: base.deliveryProblems } : {}),
        },
        clear ? 'all-clear' : 'report',
      );
      log('email.owner.sent', { owner: owner.id, messageId: report.email.messageId, recipients: report.email.recipients, mode: report.email.mode });
    } catch (e) {
      const msg = `email to owner ${owner.name} (${owner.emails.length} recipient(s)) failed: ${(e as Error).message}`;
      report.noEmail = msg;
      problems.push(msg);
      log('email.owner.failed', { owner: owner.id, error: msg }, 'error');
    }
  }
  return problems;
}

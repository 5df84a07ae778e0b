/**
 * The email step of a run: plan (attach or link), presign, word the message (render), assemble and send
 * (deliver). It runs after the archive so that a link can point at the archived PDF.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { EmailConfig } from '../config/config.js';
import type { Artifact } from '../model/artifact.js';
import type { Review } from '../model/review.js';
import { renderEmail, type EmailDelivery } from '../render/email.js';
import { renderAllClearEmail } from '../render/all-clear-email.js';
import { PDF_NAME, planEmail, presignGet, type EmailPlan } from '../deliver/email.js';
import { buildMime, type MailAttachment } from '../deliver/mime.js';
import { readArtifact } from '../deliver/artifact-io.js';

export interface ReportEmailInput {
  review: Review;
  artifacts: readonly Artifact[];
  email: EmailConfig;
  runId: string;
  now: Date;
  archive?: { bucket: string; prefix: string };
  localDir?: string;
  pdfProblem?: string;
  /** Earlier delivery failures the message must mention (the archive, the local folder). */
  deliveryProblems?: string[];
  /** Signs the link when the PDF is too large to attach (the archive's client). */
  s3?: S3Client;
  /** The run artifact to attach or link (default report.pdf): an owner's is owners/<id>/report.pdf. */
  pdfName?: string;
  /** Told apart in the Message-ID, so one run's messages (the organization's, each owner's) are distinct. */
  messageTag?: string;
}

export interface ComposedEmail {
  raw: Uint8Array;
  plan: EmailPlan;
  subject: string;
}

export async function composeReportEmail(input: ReportEmailInput): Promise<ComposedEmail> {
  const plan = planEmail({
    config: input.email,
    ...(input.archive ? { archive: input.archive } : {}),
    ...pdfOf(input.artifacts, input.pdfName ?? PDF_NAME),
  });
  const delivery: EmailDelivery = {};
  if (input.archive) delivery.archiveUri = `s3://${input.archive.bucket}/${input.archive.prefix}/`;
  if (input.localDir) delivery.localDir = input.localDir;
  if (input.deliveryProblems && input.deliveryProblems.length > 0) delivery.problems = input.deliveryProblems;
  const attachments: MailAttachment[] = [];
  if (plan.mode === 'attach') {
    // Under email.maxAttachmentMB by the plan, so reading it whole is bounded.
    const body = await readArtifact(plan.pdf);
    delivery.attached = { name: PDF_NAME, bytes: body.byteLength };
    attachments.push({ filename: PDF_NAME, contentType: 'application/pdf', body });
  } else if (plan.mode === 'link') {
    if (!input.s3) throw new Error('access-review: the PDF is too large to attach and there is no S3 client to sign a link with.');
    const url = await presignGet(input.s3, plan.bucket, plan.key, plan.expiresInSeconds);
    delivery.link = { url, expires: new Date(input.now.getTime() + plan.expiresInSeconds * 1000), bytes: plan.bytes };
  } else if (plan.reason === 'too-large') {
    delivery.notAttached = { reason: 'too-large', bytes: plan.bytes, limitMB: plan.limitMB };
  } else {
    delivery.notAttached = input.pdfProblem ? { reason: 'no-pdf', problem: input.pdfProblem } : { reason: 'no-pdf' };
  }
  const content = await renderEmail(input.review, delivery);
  return { raw: mime(input, content, attachments), plan, subject: content.subject };
}

function mime(input: ReportEmailInput, content: { subject: string; text: string; html: string }, attachments: MailAttachment[]): Uint8Array {
  const domain = input.email.from.split('@')[1] ?? 'access-review.invalid';
  const tag = input.messageTag ? `.${input.messageTag}` : '';
  return buildMime({
    from: { address: input.email.from, ...(input.email.fromName ? { name: input.email.fromName } : {}) },
    to: input.email.to,
    cc: input.email.cc,
    subject: content.subject,
    text: content.text,
    html: content.html,
    attachments,
    date: input.now,
    messageId: `${input.runId}${tag}.access-review@${domain}`,
    boundarySeed: `${input.runId}${tag}`.replace(/[^A-Za-z0-9]/g, ''),
  });
}

/** The short message to an owner with nothing open: no attachment, and where the full report is. */
export async function composeAllClearEmail(input: ReportEmailInput): Promise<ComposedEmail> {
  const content = await renderAllClearEmail(input.review, {
    ...(input.archive ? { archiveUri: `s3://${input.archive.bucket}/${input.archive.prefix}/` } : {}),
    ...(input.localDir ? { localDir: input.localDir } : {}),
    ...(input.pdfName ? { reportName: input.pdfName } : {}),
  });
  return { raw: mime(input, content, []), plan: { mode: 'summary-only', reason: 'all-clear' }, subject: content.subject };
}

function pdfOf(artifacts: readonly Artifact[], name: string): { pdf?: Artifact } {
  const pdf = artifacts.find((a) => a.name === name);
  return pdf ? { pdf } : {};
}

export interface EmailSent {
  via: EmailSender['via'];
  messageId: string;
  mode: EmailPlan['mode'] | 'all-clear';
  recipients: number;
  bytes: number;
}

/** Who a message goes to: the distribution list, or one owner's addresses. */
export interface Envelope {
  to: string[];
  cc: string[];
}

/** Sends a finished MIME message; `send` returns the transport's id for it (SES MessageId, SMTP reply). */
export interface EmailSender {
  via: 'SES' | 'SMTP';
  send(raw: Uint8Array, envelope: Envelope): Promise<string>;
}

export async function emailReport(sender: EmailSender, input: ReportEmailInput, kind: 'report' | 'all-clear' = 'report'): Promise<EmailSent> {
  const composed = kind === 'all-clear' ? await composeAllClearEmail(input) : await composeReportEmail(input);
  const messageId = await sender.send(composed.raw, { to: input.email.to, cc: input.email.cc });
  const mode = kind === 'all-clear' ? 'all-clear' : composed.plan.mode;
  return { via: sender.via, messageId, mode, recipients: input.email.to.length + input.email.cc.length, bytes: composed.raw.byteLength };
}

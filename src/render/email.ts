/**
 * The email that carries the report to managers: the cover of the report (risk, counts, top actions,
 * changes) as a short HTML and plain-text message, and a line saying where the full report is. Built from
 * the same view model as the report, so the email never says something the PDF does not.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import type { Review } from '../model/review.js';
import { formatBytes, formatDateTime, pluralize } from './format.js';
import { registerHelpers } from './helpers.js';
import { showInvisible } from './visible.js';
import { defaultTemplatesDir } from './paths.js';
import { templateCache } from './template-cache.js';
import { buildReportView, type ReportView } from './view/index.js';
import type { RiskLevel } from './view/types.js';

/** Where the reader finds the full report; exactly what the delivery stage managed to do. */
export interface EmailDelivery {
  attached?: { name: string; bytes: number };
  link?: { url: string; expires: Date; bytes: number };
  /** Why there is neither attachment nor link. */
  notAttached?: { reason: 'no-pdf'; problem?: string } | { reason: 'too-large'; bytes: number; limitMB: number };
  /** s3://bucket/prefix/ of the archived run. */
  archiveUri?: string;
  /** The local run folder, named when there is no archive. */
  localDir?: string;
  /** What did not get out before this message (a failed archive, an unwritable folder): said, not hidden. */
  problems?: string[];
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

interface EmailView {
  view: ReportView;
  riskColour: string;
  delivery: {
    attached: boolean;
    attachmentName?: string;
    size?: string;
    link?: { url: string; expires: string };
    missing?: string;
    archive?: string;
    problems?: string[];
  };
}

const RISK_COLOURS: Record<RiskLevel, string> = {
  critical: '#8e1b1b',
  high: '#c2410c',
  medium: '#975a16',
  low: '#2f6690',
  info: '#2f6690',
  none: '#2f7d4f',
};

/** Account names and similar text reach the subject: no control characters, one line, bounded length. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function notAttachedSentence(delivery: EmailDelivery): string {
  const where = delivery.archiveUri ?? delivery.localDir;
  const why = delivery.notAttached;
  if (why?.reason === 'too-large') {
    return `The PDF (${formatBytes(why.bytes)}) is larger than the ${why.limitMB} MB attachment limit and there is no archive to link to${where ? `; it is in ${where}` : ''}.`;
  }
  const problem = why?.problem ? `The PDF could not be produced this run (${why.problem}).` : 'The PDF was not produced this run.';
  return `${problem}${where ? ` The other formats of the report are at ${where}` : ''}`;
}

export function emailSubject(review: Review, view: ReportView): string {
  const counts = review.summary.findingsBySeverity;
  const urgent = [
    counts.critical > 0 ? `${counts.critical} critical` : undefined,
    counts.high > 0 ? `${counts.high} high` : undefined,
  ].filter((s): s is string => s !== undefined);
  const findings = pluralize(review.summary.openFindings, 'open finding');
  const detail = urgent.length > 0 ? `${findings} (${urgent.join(', ')})` : findings;
  const gaps = view.gaps.length > 0 ? `, ${pluralize(view.gaps.length, 'coverage gap')}` : '';
  return oneLine(`Access review — ${view.scopeLabel}: ${view.risk.label}, ${detail}${gaps}`, 200);
}

type Compiled = { html: (v: EmailView) => string; text: (v: EmailView) => string };

async function compile(dir: string): Promise<Compiled> {
  const [html, text] = await Promise.all([
    readFile(join(dir, 'email', 'email.html.hbs'), 'utf8'),
    readFile(join(dir, 'email', 'email.txt.hbs'), 'utf8'),
  ]).catch((err: unknown) => {
    throw new Error(`access-review: cannot load the email templates from ${join(dir, 'email')}: ${String(err)}`, { cause: err });
  });
  const hb = Handlebars.create();
  registerHelpers(hb, '');
  return {
    html: hb.compile<EmailView>(html),
    // Plain text is not markup: escaping would print "&amp;" to the reader.
    text: hb.compile<EmailView>(text, { noEscape: true }),
  };
}

const templates = templateCache(compile);

export async function renderEmail(review: Review, delivery: EmailDelivery, options: { templatesDir?: string } = {}): Promise<EmailContent> {
  const view = buildReportView(review);
  const model: EmailView = { view, riskColour: RISK_COLOURS[view.risk.level], delivery: { attached: delivery.attached !== undefined } };
  if (delivery.attached) {
    model.delivery.attachmentName = delivery.attached.name;
    model.delivery.size = formatBytes(delivery.attached.bytes);
  }
  if (delivery.link) {
    model.delivery.link = { url: delivery.link.url, expires: formatDateTime(delivery.link.expires.toISOString()) };
    model.delivery.size = formatBytes(delivery.link.bytes);
  }
  if (delivery.notAttached) model.delivery.missing = notAttachedSentence(delivery);
  if (delivery.archiveUri) model.delivery.archive = delivery.archiveUri;
  if (delivery.problems && delivery.problems.length > 0) model.delivery.problems = delivery.problems;
  const compiled = await templates(resolve(options.templatesDir ?? defaultTemplatesDir()));
  return {
    subject: emailSubject(review, view),
    html: showInvisible(compiled.html(model)),
    text: showInvisible(compiled.text(model)).replace(/\n{3,}/g, '\n\n').trim() + '\n',
  };
}

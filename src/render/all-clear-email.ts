/**
 * The short message to an owner with nothing open (owners.allClear "send"): whose scope, that nothing is
 * open and every source was read, what is accepted, and where the full report is. The sender only sends it
 * when those are all true (see isAllClear), so each sentence here is one the review supports.
 */
import type { Review } from '../model/review.js';
import { escapeMarkup } from './escape.js';
import { formatDateTime, pluralize } from './format.js';
import { showInvisible } from './visible.js';
import { scopeLabel } from './view/summary.js';
import type { EmailContent } from './email.js';

export interface AllClearDelivery {
  archiveUri?: string;
  localDir?: string;
  /** The owner's report within the run folder, e.g. owners/payments/report.pdf. */
  reportName?: string;
}

/** Nothing open, every account entered and read, no coverage gap: only then is "all clear" true. */
export function isAllClear(review: Review): boolean {
  const s = review.summary;
  return s.openFindings === 0 && s.coverageGaps === 0 && (s.accountsReviewed ?? s.accounts) === s.accounts;
}

export function renderAllClearEmail(review: Review, delivery: AllClearDelivery): EmailContent {
  const label = scopeLabel(review, review.accounts.length).replace(/[\u0000-\u001f\u007f]+/g, ' ');
  const s = review.summary;
  const where = delivery.archiveUri ?? delivery.localDir;
  const lines = [
    `${label}.`,
    `As of ${formatDateTime(review.generatedAt)} (run ${review.runId}), nothing is open on your ${pluralize(s.roles, 'role')} and ${pluralize(s.trustGrants, 'trust grant')}: no open findings, and every source was read for your ${pluralize(s.accounts, 'account')}.`,
    ...(s.suppressedFindings > 0 ? [`${pluralize(s.suppressedFindings, 'accepted risk')} (suppressed findings) remain, listed in the full report.`] : []),
    ...(where ? [`The full report is at ${where}${delivery.reportName ?? ''}.`] : []),
  ];
  return {
    subject: `Access review — ${label}: all clear`.slice(0, 200),
    text: showInvisible(`${lines.join('\n\n')}\n`),
    html: showInvisible(`<!doctype html><html><body style="font-family:sans-serif">${lines.map((l) => `<p>${escapeMarkup(l)}</p>`).join('')}</body></html>`),
  };
}

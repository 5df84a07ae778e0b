import { describe, expect, it } from 'vitest';
import { emailSubject, renderEmail } from '../../src/render/email.js';
import { buildReportView } from '../../src/render/view/index.js';
import { formatBytes, humanize } from '../../src/render/format.js';
import { HOSTILE_ROLE_NAME, fixtureReview } from './fixture-review.js';

describe('renderEmail', () => {
  it('says what the cover says, and that the PDF is attached', async () => {
    const review = fixtureReview();
    const view = buildReportView(review);
    const email = await renderEmail(review, { attached: { name: 'report.pdf', bytes: 3_864_144 }, archiveUri: 's3://archive/access-review/run/' });
    expect(email.text).toContain(`${view.risk.label}. ${view.risk.sentence}`);
    expect(view.topActions.length).toBeGreaterThan(0);
    for (const action of view.topActions) expect(email.text).toContain(`${action.rank}. ${humanize(action.severity)}: ${action.title}`);
    expect(email.text).toContain('The full report is attached (report.pdf, 3.7 MB).');
    expect(email.text).toContain('Archived with a SHA-256 manifest at s3://archive/access-review/run/');
    expect(email.html).toContain('The full report is attached (report.pdf, 3.7 MB)');
    expect(email.html).not.toMatch(/<script|<img|<link|https?:\/\//i);
  });

  it('escapes untrusted names in the HTML and keeps them readable in the text', async () => {
    const review = fixtureReview();
    const email = await renderEmail(review, {});
    expect(email.html).not.toContain(HOSTILE_ROLE_NAME);
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.text).toContain(HOSTILE_ROLE_NAME);
    expect(email.text).not.toContain('&lt;');
  });

  it('gives the link, its expiry and the credential caveat when the PDF is too large', async () => {
    const url = 'https://archive.s3.amazonaws.com/access-review/run/report.pdf?X-Amz-Expires=604800&X-Amz-Signature=abc';
    const email = await renderEmail(fixtureReview(), { link: { url, expires: new Date('2026-12-06T17:11:00Z'), bytes: 31 * 1024 * 1024 } });
    expect(email.text).toContain(`The full report (31.0 MB) is too large to attach. Download it here until 6 Dec 2026, 17:11 UTC (or until the signing credentials expire, if sooner):\n${url}`);
    expect(email.html).toContain(`href="${url.replace(/&/g, '&amp;').replace(/=/g, '&#x3D;')}"`);
  });

  it('explains a missing PDF and where the rest of the report is', async () => {
    const noPdf = await renderEmail(fixtureReview(), { notAttached: { reason: 'no-pdf', problem: 'Chromium was not found' }, archiveUri: 's3://a/p/' });
    expect(noPdf.text).toContain('The PDF could not be produced this run (Chromium was not found). The other formats of the report are at s3://a/p/');
    const tooLarge = await renderEmail(fixtureReview(), { notAttached: { reason: 'too-large', bytes: 12 * 1024 * 1024, limitMB: 10 }, localDir: '/tmp/out/runs/r1' });
    expect(tooLarge.text).toContain('The PDF (12.0 MB) is larger than the 10 MB attachment limit and there is no archive to link to; it is in /tmp/out/runs/r1.');
  });

  it('subjects carry risk and urgent counts on one line, whatever the account names hold', () => {
    const review = fixtureReview();
    const view = buildReportView(review);
    const subject = emailSubject(review, { ...view, scopeLabel: 'Account prod\r\nBcc: spy@evil.example' });
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toMatch(/^Access review — Account prod Bcc: spy@evil\.example: .+ risk, \d+ open findings \(\d+ critical, \d+ high\)/);
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(2048)).toBe('2 KB');
  });
});

import { describe, expect, it } from 'vitest';
import { planEmail } from '../../src/deliver/email.js';

const MB = 1024 * 1024;
const pdf = (bytes: number) => ({ name: 'report.pdf', contentType: 'application/pdf', body: new Uint8Array(bytes) });
const config = { maxAttachmentMB: 10, linkExpiryHours: 168 };
const archive = { bucket: 'archive', prefix: 'access-review/organization-o-1/2026/11/29/run1' };

describe('planEmail', () => {
  it('attaches a PDF up to the limit, links a larger one to the archived copy for the configured lifetime', () => {
    expect(planEmail({ pdf: pdf(10 * MB), config, archive }).mode).toBe('attach');
    expect(planEmail({ pdf: pdf(10 * MB + 1), config, archive })).toEqual({
      mode: 'link',
      bucket: 'archive',
      key: 'access-review/organization-o-1/2026/11/29/run1/report.pdf',
      bytes: 10 * MB + 1,
      expiresInSeconds: 604_800,
    });
  });

  it('sends the summary alone when there is no PDF, or it is too large and there is no archive to link to', () => {
    expect(planEmail({ config, archive })).toEqual({ mode: 'summary-only', reason: 'no-pdf' });
    expect(planEmail({ pdf: pdf(11 * MB), config })).toEqual({ mode: 'summary-only', reason: 'too-large', bytes: 11 * MB, limitMB: 10 });
  });

  it('links a large owner report to its own archived copy', () => {
    const owners = { ...pdf(10 * MB + 1), name: 'owners/payments/report.pdf' };
    expect(planEmail({ pdf: owners, config, archive })).toMatchObject({ mode: 'link', key: 'access-review/organization-o-1/2026/11/29/run1/owners/payments/report.pdf' });
  });
});

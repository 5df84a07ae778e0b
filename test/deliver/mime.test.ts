import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { HeaderInjectionError, buildMime, encodeWord, rfc5322Date, type MailMessage } from '../../src/deliver/mime.js';

const PDF = new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))]));

function message(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    from: { address: 'access-review@acme.example', name: 'Access Review' },
    to: ['ciso@acme.example', 'platform-leads@acme.example'],
    cc: ['audit@acme.example'],
    subject: 'Cross-account access review: Critical risk, 9 critical findings',
    text: 'Overall risk: Critical.\nClose public trust policies.',
    html: '<p>Overall risk: <strong>Critical</strong>.</p>',
    attachments: [{ filename: 'report.pdf', contentType: 'application/pdf', body: PDF }],
    date: new Date('2026-11-29T17:11:15Z'),
    messageId: '20261129T171115Z-a86c98@access-review.acme.example',
    boundarySeed: 'a86c98',
    ...overrides,
  };
}

describe('buildMime', () => {
  it('produces a message a MIME parser reads back exactly: headers, both bodies and the PDF byte for byte', async () => {
    const raw = buildMime(message());
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from).toEqual({ address: 'access-review@acme.example', name: 'Access Review' });
    expect(parsed.to?.map((a) => a.address)).toEqual(['ciso@acme.example', 'platform-leads@acme.example']);
    expect(parsed.cc?.map((a) => a.address)).toEqual(['audit@acme.example']);
    expect(parsed.subject).toBe('Cross-account access review: Critical risk, 9 critical findings');
    expect(parsed.messageId).toBe('<20261129T171115Z-a86c98@access-review.acme.example>');
    expect(parsed.date).toBe('2026-11-29T17:11:15.000Z');
    expect(parsed.text).toBe('Overall risk: Critical.\nClose public trust policies.');
    expect(parsed.html).toBe('<p>Overall risk: <strong>Critical</strong>.</p>');
    expect(parsed.attachments).toHaveLength(1);
    const [pdf] = parsed.attachments;
    expect(pdf?.filename).toBe('report.pdf');
    expect(pdf?.mimeType).toBe('application/pdf');
    expect(pdf?.disposition).toBe('attachment');
    expect(Buffer.from(pdf?.content as ArrayBuffer).equals(Buffer.from(PDF))).toBe(true);
  });

  it('keeps every line within 78 characters and uses CRLF only', () => {
    const text = Buffer.from(buildMime(message({ subject: `Review ${'of a very long subject line '.repeat(6)}` }))).toString('ascii');
    const lines = text.split('\r\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(78);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text).toContain('Auto-Submitted: auto-generated');
  });

  it('encodes non-ASCII subjects, sender names and file names so they survive 7-bit transport', async () => {
    const raw = buildMime(
      message({
        subject: 'Revue des accès inter-comptes — risque élevé: rôle «paiements» ' + 'ü'.repeat(40),
        from: { address: 'revue@acme.example', name: 'Équipe Sécurité' },
        attachments: [{ filename: 'rapport-accès.pdf', contentType: 'application/pdf', body: PDF }],
      }),
    );
    expect(Buffer.from(raw).every((b) => b < 128)).toBe(true);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe('Revue des accès inter-comptes — risque élevé: rôle «paiements» ' + 'ü'.repeat(40));
    expect(parsed.from?.name).toBe('Équipe Sécurité');
    expect(parsed.attachments[0]?.filename).toBe('rapport-accès.pdf');
  });

  it('escapes quotes in a sender name instead of letting them end the display name', async () => {
    const parsed = await PostalMime.parse(buildMime(message({ from: { address: 'a@acme.example', name: 'Sec "Ops" \\ Team' } })));
    expect(parsed.from).toEqual({ address: 'a@acme.example', name: 'Sec "Ops" \\ Team' });
  });

  it('refuses line breaks in any header value: a role name cannot smuggle in a Bcc', () => {
    expect(() => buildMime(message({ subject: 'Review of evil\r\nBcc: spy@evil.example' }))).toThrow(HeaderInjectionError);
    expect(() => buildMime(message({ to: ['ciso@acme.example\nBcc: spy@evil.example'] }))).toThrow(HeaderInjectionError);
    expect(() => buildMime(message({ from: { address: 'a@acme.example', name: 'x\rBcc: y' } }))).toThrow(HeaderInjectionError);
    expect(() => buildMime(message({ attachments: [{ filename: 'r.pdf\r\nX: y', contentType: 'application/pdf', body: PDF }] }))).toThrow(
      HeaderInjectionError,
    );
  });

  it('has no message without recipients', () => {
    expect(() => buildMime(message({ to: [] }))).toThrow(/at least one recipient/);
  });
});

describe('header encodings', () => {
  it('encoded words stay within 75 characters and never split a character', () => {
    const words = encodeWord('€'.repeat(50)).split('\r\n ');
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) {
      expect(w.length).toBeLessThanOrEqual(75);
      const b64 = /^=\?UTF-8\?B\?(.*)\?=$/.exec(w)?.[1] ?? '';
      expect(Buffer.from(b64, 'base64').toString('utf8')).toMatch(/^€+$/);
    }
    expect(encodeWord('plain ascii')).toBe('plain ascii');
  });

  it('dates are RFC 5322 in UTC', () => {
    expect(rfc5322Date(new Date('2026-02-03T04:05:06Z'))).toBe('Tue, 03 Feb 2026 04:05:06 +0000');
  });
});

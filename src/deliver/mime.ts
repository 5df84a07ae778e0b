/**
 * A MIME message (RFC 5322, 2045-2047, 2183) for SES raw sending: a text and an HTML body and the report
 * as attachments. Pure and deterministic: the caller supplies the date, the Message-ID and the seed of
 * the boundaries, so a test can compare bytes.
 *
 * Every header value here comes from configuration or from untrusted review text (role names reach the
 * subject), so line breaks are refused outright rather than escaped: a CR or LF in a header is how a
 * Bcc: is smuggled in.
 */

export interface MailAttachment {
  filename: string;
  contentType: string;
  body: Uint8Array;
}

export interface MailMessage {
  from: { address: string; name?: string };
  to: readonly string[];
  cc?: readonly string[];
  subject: string;
  text: string;
  html: string;
  attachments?: readonly MailAttachment[];
  date: Date;
  /** Without angle brackets, e.g. "20261129T171115Z-a86c98@access-review.acme.example". */
  messageId: string;
  /** Makes the part boundaries unique to this message; any string. */
  boundarySeed: string;
}

export class HeaderInjectionError extends Error {
  constructor(field: string) {
    super(`access-review: the email ${field} contains a line break, which could inject mail headers; refused.`);
    this.name = 'HeaderInjectionError';
  }
}

const CRLF = '\r\n';
const LINE = 76;

function checkHeader(field: string, value: string): string {
  if (/[\r\n\0]/.test(value)) throw new HeaderInjectionError(field);
  return value;
}

const isAscii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

/**
 * RFC 2047 encoded-words for non-ASCII text, split on character boundaries so that no encoded-word is
 * longer than 75 characters and no UTF-8 sequence is cut in half.
 */
export function encodeWord(text: string): string {
  if (isAscii(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    const next = chunk + ch;
    // "=?UTF-8?B?" + base64 + "?=" must stay within 75 characters: 45 bytes make 60 base64 characters.
    if (Buffer.byteLength(next, 'utf8') > 45) {
      words.push(chunk);
      chunk = ch;
    } else {
      chunk = next;
    }
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

function mailbox(address: string, name?: string): string {
  checkHeader('address', address);
  if (name === undefined || name === '') return address;
  checkHeader('sender name', name);
  const display = isAscii(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : encodeWord(name);
  return `${display} <${address}>`;
}

/** Long subjects fold at spaces (RFC 5322 2.2.3); non-ASCII ones become encoded-words. */
function subjectHeader(subject: string): string {
  checkHeader('subject', subject);
  if (!isAscii(subject)) return `Subject: ${encodeWord(subject)}`;
  const words = subject.split(' ');
  const lines: string[] = [];
  let line = 'Subject:';
  for (const word of words) {
    if (line.length + 1 + word.length > 78 && line !== 'Subject:') {
      lines.push(line);
      line = '';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join(CRLF);
}

/** RFC 5322 date-time in UTC, e.g. "Sun, 29 Nov 2026 17:11:15 +0000". */
export function rfc5322Date(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

export function base64Lines(body: Uint8Array | string): string {
  const b64 = Buffer.from(typeof body === 'string' ? Buffer.from(body, 'utf8') : body).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE) lines.push(b64.slice(i, i + LINE));
  return lines.join(CRLF);
}

/** RFC 2231 filename parameter where the name is not plain ASCII; quotes otherwise. */
function filenameParam(param: string, filename: string): string {
  checkHeader('attachment name', filename);
  if (isAscii(filename) && !/["\\]/.test(filename)) return `${param}="${filename}"`;
  return `${param}*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

function part(headers: string[], body: string): string {
  return `${headers.join(CRLF)}${CRLF}${CRLF}${body}`;
}

export function buildMime(m: MailMessage): Uint8Array {
  if (m.to.length === 0) throw new Error('access-review: an email needs at least one recipient.');
  // "_" is not in the base64 alphabet and every body is base64, so no body line can equal a boundary.
  const mixed = `=_ar_mixed_${m.boundarySeed}`;
  const alternative = `=_ar_alt_${m.boundarySeed}`;
  checkHeader('boundary seed', m.boundarySeed);
  const headers = [
    `From: ${mailbox(m.from.address, m.from.name)}`,
    `To: ${m.to.map((a) => mailbox(a)).join(`,${CRLF} `)}`,
    ...(m.cc && m.cc.length > 0 ? [`Cc: ${m.cc.map((a) => mailbox(a)).join(`,${CRLF} `)}`] : []),
    subjectHeader(m.subject),
    `Date: ${rfc5322Date(m.date)}`,
    `Message-ID: <${checkHeader('Message-ID', m.messageId)}>`,
    'MIME-Version: 1.0',
    // Auto-generated reports should not trigger vacation auto-replies to the sender (RFC 3834).
    'Auto-Submitted: auto-generated',
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
  ];
  const bodies = [
    part(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'], base64Lines(m.text)),
    part(['Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64'], base64Lines(m.html)),
  ];
  const alternativePart = part(
    [`Content-Type: multipart/alternative; boundary="${alternative}"`],
    `${bodies.map((b) => `--${alternative}${CRLF}${b}${CRLF}`).join('')}--${alternative}--`,
  );
  const attachmentParts = (m.attachments ?? []).map((a) =>
    part(
      [
        `Content-Type: ${checkHeader('attachment type', a.contentType)}; ${filenameParam('name', a.filename)}`,
        `Content-Disposition: attachment; ${filenameParam('filename', a.filename)}`,
        'Content-Transfer-Encoding: base64',
      ],
      base64Lines(a.body),
    ),
  );
  const parts = [alternativePart, ...attachmentParts];
  const message =
    `${headers.join(CRLF)}${CRLF}${CRLF}` +
    'This is a multipart message in MIME format.' +
    CRLF +
    `${parts.map((p) => `--${mixed}${CRLF}${p}${CRLF}`).join('')}--${mixed}--${CRLF}`;
  return new Uint8Array(Buffer.from(message, 'ascii'));
}

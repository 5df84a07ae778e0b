/**
 * Amazon SES API v2 over restJson1: SendEmail (POST /v2/email/outbound-emails) with Raw content only, which
 * is what a report mailer with a PDF attachment sends. Accepted messages are kept in `state.outbox`, byte for
 * byte, instead of being delivered. Simple and Template content are refused with BadRequestException rather
 * than half-emulated: a test that passed against a guessed MIME rendering would prove nothing.
 */
import { ServiceError, type ApiRequest, type HttpResponse } from './http-types.js';
import { obj, parseJsonBody, str, type JsonObject } from './json-body.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { restJsonError, restJsonResponse } from './wire.js';

/**
 * SES API v2 and SMTP: 40 MB per message including attachments, counted on the MIME message (SES developer
 * guide, "Service quotas"). The guide does not say 10^6 or 2^20; the larger reading rejects nothing AWS takes.
 */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
/** To + Cc + Bcc together (SES SendEmail API reference: "may not include more than 50 recipients"). */
export const MAX_RECIPIENTS = 50;

function badRequest(message: string): ServiceError {
  return new ServiceError('BadRequestException', message, 400);
}

function rejected(message: string): ServiceError {
  return new ServiceError('MessageRejected', message, 400);
}

/** Header block of a MIME message, names lower-cased, folded lines joined; repeated headers keep every value. */
function parseHeaders(raw: Buffer): Map<string, string[]> {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  const end = ends.length > 0 ? Math.min(...ends) : raw.length;
  // latin1 maps each byte to one char, so 8-bit junk in a header cannot throw or shift offsets.
  const lines = raw.toString('latin1', 0, end).split(/\r?\n/);
  const unfolded: string[] = [];
  for (const line of lines) {
    const last = unfolded.length - 1;
    if (/^[ \t]/.test(line) && last >= 0) unfolded[last] += ` ${line.trim()}`;
    else unfolded.push(line);
  }
  const headers = new Map<string, string[]>();
  for (const line of unfolded) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
}

/**
 * The addr-specs of an RFC 5322 address list: `a@b`, `"Doe, Jane" <a@b>`, `team: a@b, c@d;`. Quoted
 * display names and comments go first, so a comma or `@` inside them cannot split or fake an address.
 */
export function parseAddressList(value: string): string[] {
  const plain = value.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\((?:[^()\\]|\\.)*\)/g, ' ');
  const out: string[] = [];
  for (const part of plain.split(',')) {
    const angle = /<([^>]*)>/.exec(part);
    const candidate = (angle ? (angle[1] ?? '') : part.replace(/^[^:@]*:/, '').replace(/;\s*$/, '')).trim();
    if (candidate !== '') out.push(candidate);
  }
  return out;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** Every account email's domain counts as a verified domain identity, as it would for a company's own SES. */
function verifiedDomains(state: EmulatorState): Set<string> {
  const emails = [state.org.organization.managementAccountEmail, ...state.org.accounts.map((a) => a.email)];
  return new Set(emails.map(domainOf));
}

function stringList(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`${field} must be a list of strings`);
  return v.filter((x): x is string => typeof x === 'string');
}

function rawData(content: JsonObject | undefined): Buffer {
  if (!content) throw badRequest('Content is required');
  if (content['Simple'] !== undefined || content['Template'] !== undefined) {
    throw badRequest('The emulator supports only Content.Raw; Simple and Template content are not emulated');
  }
  const raw = obj(content['Raw']);
  const data = raw ? str(raw, 'Data') : undefined;
  if (data === undefined) throw badRequest('Content must contain Raw.Data');
  const compact = data.replace(/\s+/g, '');
  // Buffer.from(..., 'base64') silently drops bad characters; the service does not accept them.
  if (compact.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw badRequest('Content.Raw.Data is not valid base64');
  return Buffer.from(compact, 'base64');
}

/** Destination if given; otherwise the raw message's own To/Cc/Bcc, as SendRawEmail (v1) does. */
function recipients(body: JsonObject, headers: Map<string, string[]>): string[] {
  const destination = obj(body['Destination']);
  const given = destination
    ? [
        ...stringList(destination['ToAddresses'], 'Destination.ToAddresses'),
        ...stringList(destination['CcAddresses'], 'Destination.CcAddresses'),
        ...stringList(destination['BccAddresses'], 'Destination.BccAddresses'),
      ].flatMap(parseAddressList)
    : [];
  if (given.length > 0) return given;
  return ['to', 'cc', 'bcc'].flatMap((h) => (headers.get(h) ?? []).flatMap(parseAddressList));
}

/** SES v2 ids: a 16-hex-digit time prefix, a UUID and a 6-digit suffix. */
function messageId(now: Date, uuid: string): string {
  return `0100${now.getTime().toString(16).padStart(12, '0')}-${uuid}-000000`;
}

function sendEmail(req: ApiRequest, state: EmulatorState): HttpResponse {
  const body = parseJsonBody(req.body, 'BadRequestException');
  const raw = rawData(obj(body['Content']));
  const headers = parseHeaders(raw);

  const to = recipients(body, headers);
  if (to.length === 0) throw badRequest('Missing recipients: give Destination addresses or To/Cc/Bcc headers in the raw message');
  if (to.length > MAX_RECIPIENTS) throw badRequest(`Recipient count exceeds ${MAX_RECIPIENTS}.`);
  const illegal = to.find((a) => !ADDRESS.test(a));
  if (illegal !== undefined) throw badRequest(`Illegal address: ${illegal}`);

  if (raw.length > MAX_MESSAGE_BYTES) throw rejected(`Message length is more than ${MAX_MESSAGE_BYTES} bytes long: '${raw.length}'.`);

  const fromHeader = (headers.get('from') ?? []).flatMap(parseAddressList);
  const fromParam = str(body, 'FromEmailAddress');
  const sender = fromParam !== undefined ? parseAddressList(fromParam)[0] : fromHeader[0];
  if (sender === undefined) throw rejected("Missing required header 'From'.");
  // SES checks the From header as well as the envelope sender, so a verified FromEmailAddress cannot
  // carry an unverified From: line.
  const verified = verifiedDomains(state);
  const failed = [...new Set([sender, ...fromHeader])].filter((a) => !verified.has(domainOf(a)));
  if (failed.length > 0) {
    throw rejected(`Email address is not verified. The following identities failed the check in region ${req.region.toUpperCase()}: ${failed.join(', ')}`);
  }

  if (state.sesSandbox) {
    const unverified = to.filter((a) => !verified.has(domainOf(a)));
    if (unverified.length > 0) {
      throw rejected(`Email address is not verified. The following identities failed the check in region ${req.region.toUpperCase()}: ${unverified.join(', ')}`);
    }
  }

  const now = state.clock();
  const id = messageId(now, req.requestId);
  state.outbox.push({ messageId: id, accountId: req.principal.accountId, region: req.region, from: sender, destinations: to, raw, at: now.toISOString() });
  return restJsonResponse({ MessageId: id }, req.requestId);
}

/**
 * GetEmailIdentity: the organization's mail domains exist as verified domain identities; no single
 * address is an identity of its own (as in an account that verified its domain), so addresses are not found.
 */
function getEmailIdentity(req: ApiRequest, state: EmulatorState): HttpResponse {
  const identity = decodeURIComponent(req.url.pathname.slice(IDENTITY_PATH.length)).toLowerCase();
  if (identity.includes('@') || !verifiedDomains(state).has(identity)) {
    throw new ServiceError('NotFoundException', `Email identity ${identity} does not exist.`, 404);
  }
  return restJsonResponse(
    {
      IdentityType: 'DOMAIN',
      FeedbackForwardingStatus: true,
      VerifiedForSendingStatus: true,
      VerificationStatus: 'SUCCESS',
      DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS', SigningAttributesOrigin: 'AWS_SES' },
      MailFromAttributes: { BehaviorOnMxFailure: 'USE_DEFAULT_VALUE', MailFromDomainStatus: 'SUCCESS' },
      Policies: {},
      Tags: [],
    },
    req.requestId,
  );
}

/** GetAccount: sending state and quota; ProductionAccessEnabled false while in the sandbox. */
function getAccount(req: ApiRequest, state: EmulatorState): HttpResponse {
  const sentLast24Hours = state.outbox.filter((m) => m.accountId === req.principal.accountId && Date.parse(m.at) > state.clock().getTime() - 86_400_000).length;
  return restJsonResponse(
    {
      DedicatedIpAutoWarmupEnabled: false,
      EnforcementStatus: 'HEALTHY',
      ProductionAccessEnabled: !state.sesSandbox,
      SendQuota: state.sesSandbox ? { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: sentLast24Hours } : { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: sentLast24Hours },
      SendingEnabled: true,
      SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    },
    req.requestId,
  );
}

const IDENTITY_PATH = '/v2/email/identities/';

function route(method: string, path: string): 'SendEmail' | 'GetEmailIdentity' | 'GetAccount' | 'Unknown' {
  if (method === 'POST' && path === '/v2/email/outbound-emails') return 'SendEmail';
  if (method === 'GET' && path === '/v2/email/account') return 'GetAccount';
  if (method === 'GET' && path.startsWith(IDENTITY_PATH) && path.length > IDENTITY_PATH.length) return 'GetEmailIdentity';
  return 'Unknown';
}

export const sesService: ServiceModule = {
  name: 'ses',
  operation: (raw: RawRequest) => route(raw.method, raw.url.pathname),
  handle(req, state) {
    const operation = route(req.method, req.url.pathname);
    if (operation === 'SendEmail') return sendEmail(req, state);
    if (operation === 'GetEmailIdentity') return getEmailIdentity(req, state);
    if (operation === 'GetAccount') return getAccount(req, state);
    throw new ServiceError('UnknownOperationException', `No route for ${req.method} ${req.url.pathname}`, 404);
  },
  renderError: (err, _raw, requestId) => restJsonError(err, requestId),
};

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  GetAccountCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  InternalServiceErrorException,
  MessageRejected,
  SendEmailCommand,
  SESv2ServiceException,
  TooManyRequestsException,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { MAX_MESSAGE_BYTES, parseAddressList } from '../../src/emulator/ses.js';
import { assumeInto, clients, FIXED_NOW, rejection } from './helpers.js';

let emu: RunningEmulator;
/** An address at the company domain, which the emulator treats as a verified SES domain identity. */
let sender: string;

beforeAll(async () => {
  emu = await startEmulator({ seed: 42, now: FIXED_NOW });
  sender = emu.org.organization.managementAccountEmail;
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.setFaults({});
});

// Not a real PDF, but binary enough: every byte value, so any text decoding on the way would show.
const ATTACHMENT = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\n%%EOF\n')]);

function mime(o: { from?: string; to?: string; cc?: string; subject: string; attachment?: Buffer; padTo?: number }): Buffer {
  const boundary = 'b1_access_review';
  const head = [
    ...(o.from !== undefined ? [`From: Access Review <${o.from}>`] : []),
    ...(o.to !== undefined ? [`To: ${o.to}`] : []),
    ...(o.cc !== undefined ? [`Cc: ${o.cc}`] : []),
    `Subject: ${o.subject}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed;\r\n boundary="${boundary}"`,
  ].join('\r\n');
  const attachment = o.attachment ?? ATTACHMENT;
  const base64Lines = attachment.toString('base64').match(/.{1,76}/g) ?? [];
  const parts = [
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The access review report is attached.',
    `--${boundary}`,
    'Content-Type: application/pdf; name="access-review.pdf"',
    'Content-Disposition: attachment; filename="access-review.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    ...base64Lines,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  const message = Buffer.from(`${head}\r\n\r\n${parts}`, 'latin1');
  if (o.padTo === undefined || o.padTo <= message.length) return message;
  // Trailing text after the closing boundary is MIME epilogue: legal, and it makes the size exact.
  return Buffer.concat([message, Buffer.alloc(o.padTo - message.length, 0x2e)]);
}

function send(input: SendEmailCommandInput, maxAttempts?: number) {
  return clients.ses(emu, maxAttempts !== undefined ? { maxAttempts } : {}).send(new SendEmailCommand(input));
}

/** The Authorization header of a signed request, read without trusting its shape. */
function authorizationOf(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null || !('headers' in request)) return undefined;
  const headers = request.headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization');
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

describe('SES v2 SendEmail', () => {
  it('is signed for the service "ses", and stores a raw message with an attachment byte-identical', async () => {
    const client = clients.ses(emu);
    const seen: string[] = [];
    // The deserialize step sees the request after signing, just before it goes on the wire.
    client.middlewareStack.add(
      (next) => async (args) => {
        const auth = authorizationOf(args.request);
        if (auth !== undefined) seen.push(auth);
        return next(args);
      },
      { step: 'deserialize', name: 'captureAuthorization' },
    );
    const raw = mime({ from: sender, to: 'security@acme.example', subject: 'Access review 2026-11' });
    const before = emu.outbox().length;
    const out = await client.send(
      new SendEmailCommand({
        FromEmailAddress: sender,
        Destination: { ToAddresses: ['security@acme.example'], CcAddresses: ['CISO <ciso@acme.example>'], BccAddresses: ['audit@external.example'] },
        Content: { Raw: { Data: raw } },
      }),
    );
    expect(seen[0]).toMatch(/Credential=[A-Z0-9]+\/\d{8}\/us-east-1\/ses\/aws4_request/);
    expect(out.MessageId).toMatch(/^[0-9a-f]{16}-[0-9a-f-]{36}-000000$/);
    const sent = emu.outbox().slice(before);
    expect(sent).toHaveLength(1);
    const m = sent[0];
    expect(m?.messageId).toBe(out.MessageId);
    expect(m?.accountId).toBe(emu.org.organization.managementAccountId);
    expect(m?.region).toBe('us-east-1');
    expect(m?.from).toBe(sender);
    expect(m?.destinations).toEqual(['security@acme.example', 'ciso@acme.example', 'audit@external.example']);
    expect(m?.raw.equals(raw)).toBe(true);
    expect(m?.raw.includes(ATTACHMENT.toString('base64').slice(0, 76))).toBe(true);
    expect(Number.isNaN(Date.parse(m?.at ?? ''))).toBe(false);
  });

  it('takes sender and recipients from the raw headers when FromEmailAddress and Destination are absent', async () => {
    const raw = mime({ from: sender, to: '"Doe, Jane" <jane@acme.example>, ops@acme.example', cc: 'team: a@b.example, c@d.example;', subject: 'headers only' });
    const out = await send({ Content: { Raw: { Data: raw } } });
    const m = emu.outbox().find((x) => x.messageId === out.MessageId);
    expect(m?.from).toBe(sender);
    expect(m?.destinations).toEqual(['jane@acme.example', 'ops@acme.example', 'a@b.example', 'c@d.example']);
  });

  it('records the account of the caller, e.g. a member account through an assumed role', async () => {
    const member = emu.org.accounts.find((a) => !a.isManagement && a.status === 'ACTIVE');
    if (!member) throw new Error('no active member account');
    const credentials = await assumeInto(emu, member.id);
    const out = await clients.ses(emu, { credentials, region: 'eu-west-1' }).send(
      new SendEmailCommand({ FromEmailAddress: member.email, Destination: { ToAddresses: ['x@acme.example'] }, Content: { Raw: { Data: mime({ from: member.email, subject: 'member' }) } } }),
    );
    const m = emu.outbox().find((x) => x.messageId === out.MessageId);
    expect([m?.accountId, m?.region]).toEqual([member.id, 'eu-west-1']);
  });

  it('refuses a message with no recipients with BadRequestException', async () => {
    const noHeaders = mime({ from: sender, subject: 'nobody' });
    for (const input of [
      { FromEmailAddress: sender, Content: { Raw: { Data: noHeaders } } },
      { FromEmailAddress: sender, Destination: { ToAddresses: [], CcAddresses: [], BccAddresses: [] }, Content: { Raw: { Data: noHeaders } } },
    ]) {
      const e = await rejection(send(input));
      expect(e).toBeInstanceOf(BadRequestException);
      expect(e.$metadata?.httpStatusCode).toBe(400);
    }
  });

  it('allows 50 recipients in To, Cc and Bcc together and refuses 51 with BadRequestException', async () => {
    const addresses = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}@acme.example`);
    const raw = mime({ from: sender, subject: 'many' });
    const ok = await send({ FromEmailAddress: sender, Destination: { ToAddresses: addresses(20, 'to'), CcAddresses: addresses(20, 'cc'), BccAddresses: addresses(10, 'bcc') }, Content: { Raw: { Data: raw } } });
    expect(emu.outbox().find((x) => x.messageId === ok.MessageId)?.destinations).toHaveLength(50);
    const before = emu.outbox().length;
    const e = await rejection(
      send({ FromEmailAddress: sender, Destination: { ToAddresses: addresses(20, 'to'), CcAddresses: addresses(20, 'cc'), BccAddresses: addresses(11, 'bcc') }, Content: { Raw: { Data: raw } } }),
    );
    expect(e).toBeInstanceOf(BadRequestException);
    expect(e.message).toBe('Recipient count exceeds 50.');
    expect(emu.outbox().length).toBe(before);
  });

  it('refuses a malformed recipient address with BadRequestException', async () => {
    const e = await rejection(send({ FromEmailAddress: sender, Destination: { ToAddresses: ['not-an-address'] }, Content: { Raw: { Data: mime({ from: sender, subject: 'x' }) } } }));
    expect(e).toBeInstanceOf(BadRequestException);
  });

  it('accepts a message of exactly 40 MB and rejects one byte more with MessageRejected', async () => {
    const at = mime({ from: sender, subject: 'at the limit', padTo: MAX_MESSAGE_BYTES });
    expect(at.length).toBe(40 * 1024 * 1024);
    const ok = await send({ FromEmailAddress: sender, Destination: { ToAddresses: ['big@acme.example'] }, Content: { Raw: { Data: at } } });
    expect(emu.outbox().find((x) => x.messageId === ok.MessageId)?.raw.length).toBe(MAX_MESSAGE_BYTES);
    const before = emu.outbox().length;
    const over = mime({ from: sender, subject: 'over the limit', padTo: MAX_MESSAGE_BYTES + 1 });
    const e = await rejection(send({ FromEmailAddress: sender, Destination: { ToAddresses: ['big@acme.example'] }, Content: { Raw: { Data: over } } }));
    expect(e).toBeInstanceOf(MessageRejected);
    expect(e.$metadata?.httpStatusCode).toBe(400);
    expect(emu.outbox().length).toBe(before);
  });

  it('rejects an unverified sender with MessageRejected, naming the identity and region as SES does', async () => {
    const to = { ToAddresses: ['security@acme.example'] };
    const viaParam = await rejection(send({ FromEmailAddress: 'reports@gmail.example', Destination: to, Content: { Raw: { Data: mime({ subject: 'x' }) } } }));
    expect(viaParam).toBeInstanceOf(MessageRejected);
    expect(viaParam.message).toBe('Email address is not verified. The following identities failed the check in region US-EAST-1: reports@gmail.example');

    const viaHeader = await rejection(send({ Destination: to, Content: { Raw: { Data: mime({ from: 'someone@acme-corp.example', subject: 'x' }) } } }));
    expect(viaHeader).toBeInstanceOf(MessageRejected);
    expect(viaHeader.message).toMatch(/failed the check in region US-EAST-1: someone@acme-corp\.example$/);

    // A verified envelope sender does not launder an unverified From: line.
    const mixed = await rejection(send({ FromEmailAddress: sender, Destination: to, Content: { Raw: { Data: mime({ from: 'spoof@elsewhere.example', subject: 'x' }) } } }));
    expect(mixed).toBeInstanceOf(MessageRejected);
    expect(mixed.message).toMatch(/: spoof@elsewhere\.example$/);

    const noSender = await rejection(send({ Destination: to, Content: { Raw: { Data: mime({ subject: 'x' }) } } }));
    expect(noSender).toBeInstanceOf(MessageRejected);
  });

  it('answers Simple content with BadRequestException: only Raw is emulated', async () => {
    const e = await rejection(
      send({ FromEmailAddress: sender, Destination: { ToAddresses: ['a@acme.example'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } } }),
    );
    expect(e).toBeInstanceOf(BadRequestException);
    expect(e.message).toMatch(/only Content\.Raw/);
  });

  it('throttles with TooManyRequestsException (429); the SDK retries and each message is stored exactly once', async () => {
    emu.setFaults({ throttle: { 'ses:SendEmail': 1 } });
    const e = await rejection(send({ FromEmailAddress: sender, Destination: { ToAddresses: ['a@acme.example'] }, Content: { Raw: { Data: mime({ subject: 'x' }) } } }, 1));
    expect(e).toBeInstanceOf(TooManyRequestsException);
    expect(e.$metadata?.httpStatusCode).toBe(429);

    emu.setFaults({ throttle: { 'ses:SendEmail': 0.3 } });
    emu.resetCalls();
    const before = emu.outbox().length;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const out = await send({ FromEmailAddress: sender, Destination: { ToAddresses: ['a@acme.example'] }, Content: { Raw: { Data: mime({ subject: `retry ${i}` }) } } }, 10);
      ids.push(out.MessageId ?? '');
    }
    const sent = emu.outbox().slice(before);
    expect(sent.map((m) => m.messageId)).toEqual(ids);
    expect(sent.map((m) => m.raw.toString('latin1').match(/^Subject: (.*)$/m)?.[1])).toEqual(Array.from({ length: 4 }, (_, i) => `retry ${i}`));
    // More requests than messages: some were throttled and retried, and none of those left a copy behind.
    expect(emu.calls()['ses:SendEmail']).toBeGreaterThan(4);
  });

  it('fails with InternalServiceErrorException under a server-error fault', async () => {
    emu.setFaults({ serverErrors: { 'ses:*': 1 } });
    const e = await rejection(send({ FromEmailAddress: sender, Destination: { ToAddresses: ['a@acme.example'] }, Content: { Raw: { Data: mime({ subject: 'x' }) } } }, 1));
    expect(e).toBeInstanceOf(InternalServiceErrorException);
    expect(e.$fault).toBe('server');
  });

  it('refuses SendEmail with AccessDeniedException in an account with ses:SendEmail denied', async () => {
    emu.setFaults({ denyOperations: { [emu.org.organization.managementAccountId]: ['ses:SendEmail'] } });
    const before = emu.outbox().length;
    const e = await rejection(send({ FromEmailAddress: sender, Destination: { ToAddresses: ['a@acme.example'] }, Content: { Raw: { Data: mime({ subject: 'x' }) } } }));
    expect(e).toBeInstanceOf(SESv2ServiceException);
    expect(e.name).toBe('AccessDeniedException');
    expect(e.$metadata?.httpStatusCode).toBe(403);
    expect(e.message).toContain('is not authorized to perform: ses:SendEmail');
    expect(emu.outbox().length).toBe(before);
  });

  it('counts ses:SendEmail in calls(), refused requests included', async () => {
    emu.resetCalls();
    await send({ FromEmailAddress: sender, Destination: { ToAddresses: ['a@acme.example'] }, Content: { Raw: { Data: mime({ subject: 'x' }) } } });
    await rejection(send({ FromEmailAddress: sender, Content: { Raw: { Data: mime({ subject: 'x' }) } } }));
    expect(emu.calls()).toEqual({ 'ses:SendEmail': 2 });
  });

  it('recognises an unsigned SES request by its path and answers in restJson1', async () => {
    emu.resetCalls();
    const res = await fetch(`${emu.endpoint}/v2/email/outbound-emails`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(emu.calls()).toEqual({ 'ses:SendEmail': 1 });
  });
});

describe('address lists', () => {
  it('reads addr-specs out of display names, quoted commas, comments and groups', () => {
    expect(parseAddressList('"Doe, Jane" <jane@x.example>, bob@y.example (Bob), team: a@b.example, c@d.example;, undisclosed-recipients:;')).toEqual([
      'jane@x.example',
      'bob@y.example',
      'a@b.example',
      'c@d.example',
    ]);
  });
});

describe('SES v2 GetEmailIdentity', () => {
  it('knows the organization\'s domain as a verified domain identity, and no single address', async () => {
    const domain = emu.org.organization.managementAccountEmail.split('@')[1]!;
    const found = await clients.ses(emu).send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
    expect(found).toMatchObject({ IdentityType: 'DOMAIN', VerifiedForSendingStatus: true, VerificationStatus: 'SUCCESS' });
    await expect(clients.ses(emu).send(new GetEmailIdentityCommand({ EmailIdentity: `reports@${domain}` }))).rejects.toBeInstanceOf(NotFoundException);
    await expect(clients.ses(emu).send(new GetEmailIdentityCommand({ EmailIdentity: 'elsewhere.example' }))).rejects.toBeInstanceOf(NotFoundException);
    expect(emu.calls()['ses:GetEmailIdentity']).toBeGreaterThanOrEqual(3);
  });
});

describe('SES v2 sandbox and GetAccount', () => {
  afterEach(() => emu.setSesSandbox(false));

  it('reports production access, and in the sandbox refuses unverified recipients as SES does', async () => {
    const client = clients.ses(emu);
    expect(await client.send(new GetAccountCommand({}))).toMatchObject({ ProductionAccessEnabled: true, SendingEnabled: true, EnforcementStatus: 'HEALTHY' });
    emu.setSesSandbox(true);
    expect(await client.send(new GetAccountCommand({}))).toMatchObject({ ProductionAccessEnabled: false, SendQuota: { Max24HourSend: 200, MaxSendRate: 1 } });
    const domain = emu.org.organization.managementAccountEmail.split('@')[1]!;
    const raw = Buffer.from(`From: r@${domain}\r\nTo: x@outside.example\r\nSubject: s\r\n\r\nbody\r\n`);
    const refused = await client
      .send(new SendEmailCommand({ Destination: { ToAddresses: ['x@outside.example'] }, Content: { Raw: { Data: raw } } }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MessageRejected);
    expect((refused as Error).message).toBe('Email address is not verified. The following identities failed the check in region US-EAST-1: x@outside.example');
    await client.send(new SendEmailCommand({ Destination: { ToAddresses: [`ciso@${domain}`] }, Content: { Raw: { Data: raw } } }));
  });
});

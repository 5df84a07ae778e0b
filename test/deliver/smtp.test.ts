import { afterEach, describe, expect, it } from 'vitest';
import { sendRawSmtp, verifySmtp } from '../../src/deliver/smtp.js';
import { buildMime } from '../../src/deliver/mime.js';
import { startSmtpServer, type TestSmtpServer } from './smtp-server.js';

const PDF = new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n.\r\n..leading dots survive dot-stuffing\r\n'), Buffer.alloc(70_000, 0x2e)]));
const raw = buildMime({
  from: { address: 'access-review@acme.example' },
  to: ['ciso@acme.example'],
  cc: ['audit@acme.example'],
  subject: 'Access review',
  text: 'Summary.\n.\nA line with only a dot above.',
  html: '<p>Summary.</p>',
  attachments: [{ filename: 'report.pdf', contentType: 'application/pdf', body: PDF }],
  date: new Date('2026-11-29T17:00:00Z'),
  messageId: 'run1.access-review@acme.example',
  boundarySeed: 'run1',
});
const envelope = { from: 'access-review@acme.example', to: ['ciso@acme.example', 'audit@acme.example'] };

describe('sendRawSmtp', () => {
  let server: TestSmtpServer | undefined;
  afterEach(async () => server?.close());

  it('relays the exact MIME bytes to exactly the envelope recipients', async () => {
    server = await startSmtpServer();
    const id = await sendRawSmtp({ host: '127.0.0.1', port: server.port, secure: false, requireTLS: false }, envelope, raw);
    expect(id).toMatch(/^250 /);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.from).toBe('access-review@acme.example');
    expect(server.received[0]?.to).toEqual(['ciso@acme.example', 'audit@acme.example']);
    expect(server.received[0]?.raw.equals(Buffer.from(raw))).toBe(true);
  });

  it('logs in when a username is configured, and fails clearly on a wrong password', async () => {
    server = await startSmtpServer({ credentials: { user: 'relay', pass: 's3cret' } });
    const settings = { host: '127.0.0.1', port: server.port, secure: false, requireTLS: false, username: 'relay' };
    await sendRawSmtp({ ...settings, password: 's3cret' }, envelope, raw);
    await expect(sendRawSmtp({ ...settings, password: 'wrong' }, envelope, raw)).rejects.toThrow(/Invalid username or password|535/);
    expect(server.received).toHaveLength(1);
  });

  it('verify logs in without sending, for the preflight', async () => {
    server = await startSmtpServer({ credentials: { user: 'relay', pass: 's3cret' } });
    const settings = { host: '127.0.0.1', port: server.port, secure: false, requireTLS: false, username: 'relay' };
    await expect(verifySmtp({ ...settings, password: 's3cret' })).resolves.toBeUndefined();
    await expect(verifySmtp({ ...settings, password: 'nope' })).rejects.toThrow(/Invalid username or password|535/);
    expect(server.received).toEqual([]);
  });

  it('with requireTLS (the default) refuses to send a report over a relay that cannot encrypt', async () => {
    server = await startSmtpServer();
    await expect(sendRawSmtp({ host: '127.0.0.1', port: server.port, secure: false, requireTLS: true }, envelope, raw)).rejects.toThrow(/STARTTLS/i);
    expect(server.received).toEqual([]);
  });
});

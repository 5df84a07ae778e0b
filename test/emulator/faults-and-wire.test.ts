import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { decodeAwsChunked } from '../../src/emulator/aws-chunked.js';
import { Faults } from '../../src/emulator/faults.js';
import { crc32Base64 } from '../../src/emulator/crc32.js';
import { clients, FIXED_NOW, rejection } from './helpers.js';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 42, now: FIXED_NOW, lookupEventsPerSecond: 0 });
});
afterAll(async () => {
  await emu.close();
});

describe('fault injection', () => {
  it('throttles each service with its own error, which the SDK classes as throttling', async () => {
    emu.setFaults({ throttle: { '*': 1 } });
    try {
      const cases: [() => Promise<unknown>, string, number][] = [
        [() => clients.iam(emu, { maxAttempts: 1 }).send(new GetAccountAuthorizationDetailsCommand({})), 'Throttling', 400],
        [() => clients.sts(emu, { maxAttempts: 1 }).send(new GetCallerIdentityCommand({})), 'Throttling', 400],
        [() => clients.organizations(emu, { maxAttempts: 1 }).send(new ListAccountsCommand({})), 'TooManyRequestsException', 400],
        [() => clients.cloudtrail(emu, { maxAttempts: 1 }).send(new LookupEventsCommand({})), 'ThrottlingException', 400],
        [() => clients.accessAnalyzer(emu, { maxAttempts: 1 }).send(new ListAnalyzersCommand({})), 'ThrottlingException', 429],
        [() => clients.s3(emu, { maxAttempts: 1 }).send(new GetObjectCommand({ Bucket: emu.org.archiveBucket, Key: 'x' })), 'SlowDown', 503],
      ];
      for (const [p, name, status] of cases) {
        const e = await rejection(p());
        expect(e.name).toBe(name);
        expect(e.$metadata?.httpStatusCode).toBe(status);
      }
    } finally {
      emu.setFaults({});
    }
  });

  it('fails with 5xx at the configured rate and the SDK retries through it', async () => {
    emu.setFaults({ serverErrors: { 'iam:GetAccountAuthorizationDetails': 1 } });
    const e = await rejection(clients.iam(emu, { maxAttempts: 1 }).send(new GetAccountAuthorizationDetailsCommand({})));
    expect(e.name).toBe('ServiceFailureException');
    expect(e.$metadata?.httpStatusCode).toBe(500);
    expect(e.$fault).toBe('server');
    emu.setFaults({ serverErrors: { 'iam:GetAccountAuthorizationDetails': 0.5 } });
    emu.resetCalls();
    let ok = 0;
    for (let i = 0; i < 6; i++) {
      const r = await clients.iam(emu, { maxAttempts: 6 }).send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1 }));
      if (r.$metadata.httpStatusCode === 200) ok++;
    }
    expect(ok).toBe(6);
    expect(emu.calls()['iam:GetAccountAuthorizationDetails']).toBeGreaterThan(6);
    emu.setFaults({});
  });

  it('holds every response back while latency is injected', async () => {
    // Asserted by order, not by a clock: the emulator has the request, the client has no answer yet.
    emu.resetCalls();
    emu.setFaults({ latencyMs: 60_000 });
    const abort = new AbortController();
    let settled = false;
    const pending = clients
      .sts(emu, { maxAttempts: 1 })
      .send(new GetCallerIdentityCommand({}), { abortSignal: abort.signal })
      .then(
        () => 'answered',
        () => 'aborted',
      )
      .finally(() => {
        settled = true;
      });
    while ((emu.calls()['sts:GetCallerIdentity'] ?? 0) === 0) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    emu.setFaults({});
    abort.abort();
    expect(await pending).toBe('aborted');
    // With the latency gone, the same call is answered.
    const who = await clients.sts(emu).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toMatch(/^\d{12}$/);
  });

  it('adds latency per operation where configured, the general latency elsewhere', () => {
    const faults = new Faults(1, { latencyMs: 20, latencyByOperation: { 's3:PutObject': 400, 'ses:*': 900 } });
    expect(faults.latencyFor('s3:PutObject')).toBe(400);
    expect(faults.latencyFor('s3:GetObject')).toBe(20);
    expect(faults.latencyFor('ses:SendEmail')).toBe(900);
    expect(new Faults(1, {}).latencyFor('iam:GetAccountAuthorizationDetails')).toBe(0);
  });

  it('counts calls per service:Operation, refused ones included', async () => {
    emu.resetCalls();
    await clients.sts(emu).send(new GetCallerIdentityCommand({}));
    await rejection(clients.organizations(emu, { credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } }).send(new ListAccountsCommand({})));
    expect(emu.calls()).toEqual({ 'organizations:ListAccounts': 1, 'sts:GetCallerIdentity': 1 });
  });
});

describe('authentication errors in each protocol', () => {
  const unknown = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' };

  it('maps an unknown access key to each service’s error', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => clients.iam(emu, { credentials: unknown }).send(new GetAccountAuthorizationDetailsCommand({})), 'InvalidClientTokenId'],
      [() => clients.organizations(emu, { credentials: unknown }).send(new ListAccountsCommand({})), 'UnrecognizedClientException'],
      [() => clients.cloudtrail(emu, { credentials: unknown }).send(new LookupEventsCommand({})), 'UnrecognizedClientException'],
      [() => clients.accessAnalyzer(emu, { credentials: unknown }).send(new ListAnalyzersCommand({})), 'UnrecognizedClientException'],
      [() => clients.s3(emu, { credentials: unknown }).send(new GetObjectCommand({ Bucket: emu.org.archiveBucket, Key: 'x' })), 'InvalidAccessKeyId'],
    ];
    for (const [p, name] of cases) expect((await rejection(p())).name).toBe(name);
  });

  it('answers unsigned JSON and REST requests with MissingAuthenticationToken shapes', async () => {
    const ct = await fetch(`${emu.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CloudTrail_20131101.LookupEvents' },
      body: '{}',
    });
    expect(ct.status).toBe(403);
    expect(await ct.json()).toEqual({ __type: 'MissingAuthenticationTokenException', Message: 'Missing Authentication Token' });
    const aa = await fetch(`${emu.endpoint}/analyzer`);
    expect(aa.status).toBe(403);
    expect(aa.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('wire helpers', () => {
  it('decodes aws-chunked bodies with signed chunks and trailers', () => {
    const payload = Buffer.from('hello, chunked world');
    const a = payload.subarray(0, 7);
    const b = payload.subarray(7);
    const raw = Buffer.concat([
      Buffer.from(`${a.length.toString(16)};chunk-signature=abc\r\n`),
      a,
      Buffer.from('\r\n'),
      Buffer.from(`${b.length.toString(16)}\r\n`),
      b,
      Buffer.from('\r\n0\r\n'),
      Buffer.from(`x-amz-checksum-crc32:${crc32Base64(payload)}\r\n\r\n`),
    ]);
    const out = decodeAwsChunked(raw);
    expect(out.body.toString()).toBe('hello, chunked world');
    expect(out.trailers).toEqual({ 'x-amz-checksum-crc32': crc32Base64(payload) });
  });

  it('computes CRC32 as S3 reports it', () => {
    expect(crc32Base64(Buffer.from('123456789'))).toBe(Buffer.from([0xcb, 0xf4, 0x39, 0x26]).toString('base64'));
  });
});

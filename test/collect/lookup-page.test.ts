/**
 * The scan's own read of a LookupEvents page must give exactly what the SDK's deserializer gives for the
 * fields the scan uses, whatever the strings hold, and leave errors to the SDK. A local server answers
 * with crafted bodies; the same response goes through both paths.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { addLookupPageReader, lookupPage, readLookupPage } from '../../src/collect/lookup-page.js';

let reply: { status: number; body: string; headers?: Record<string, string>; splitAt?: number } = { status: 200, body: '{}' };
let requests = 0;
let server: Server;
let client: CloudTrailClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => {
      const bytes = Buffer.from(reply.body, 'utf8');
      res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(bytes.length), ...(reply.headers ?? {}) });
      if (reply.splitAt === undefined) return res.end(bytes);
      // Two writes apart in time arrive as two chunks: the split falls inside a multi-byte character.
      res.write(bytes.subarray(0, reply.splitAt));
      setTimeout(() => res.end(bytes.subarray(reply.splitAt)), 30);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  client = new CloudTrailClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 2 });
});
afterAll(async () => {
  client?.destroy();
  await new Promise((r) => server?.close(r));
});

const input = { LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'AssumeRole' }], MaxResults: 50 };

async function bothWays(body: string): Promise<{ ours: Awaited<ReturnType<typeof lookupPage>>; sdk: { records: (string | undefined)[]; nextToken: string | undefined } }> {
  reply = { status: 200, body };
  const ours = await lookupPage(client, input);
  const out = await client.send(new LookupEventsCommand(input));
  return { ours, sdk: { records: (out.Events ?? []).map((e) => e.CloudTrailEvent), nextToken: out.NextToken } };
}

// Records whose text needs every kind of JSON escape once embedded as a string in the page body.
const oddRecords = [
  JSON.stringify({ eventName: 'AssumeRole', requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/a"b\\c', roleSessionName: 'x\ny\tz' } }),
  JSON.stringify({ eventName: 'AssumeRole', userIdentity: { arn: 'arn:aws:sts::111122223333:assumed-role/r/\u2028\u2029 é 😀 \u0000 \u001f' } }),
  '{"eventName":"AssumeRole","note":"\\u00e9\\ud83d\\ude00 \\/ \\"quoted\\""}',
  '',
  'not json at all {',
];

describe('readLookupPage and lookupPage', () => {
  it('give the SDK’s CloudTrailEvent strings and NextToken for records full of escapes', async () => {
    const body = JSON.stringify({
      Events: oddRecords.map((r, i) => ({ EventId: `e${i}`, EventName: 'AssumeRole', EventTime: 1.7e9 + i, CloudTrailEvent: r, Resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: 'x' }] })),
      NextToken: 'tok/+=\u00e9"\\',
    });
    const { ours, sdk } = await bothWays(body);
    expect(ours.records).toEqual(oddRecords);
    expect(ours.records).toEqual(sdk.records);
    expect(ours.nextToken).toBe(sdk.nextToken);
    expect(ours.nextToken).toBe('tok/+=\u00e9"\\');
  });

  it('read a body whose non-ASCII text arrives escaped or raw the same way', async () => {
    const escaped = '{"Events":[{"CloudTrailEvent":"{\\"a\\":\\"\\u00e9\\\\u00e9\\"}"}],"NextToken":"\\u0074ok"}';
    const { ours, sdk } = await bothWays(escaped);
    expect(ours).toEqual({ records: ['{"a":"é\\u00e9"}'], nextToken: 'tok' });
    expect(ours.records).toEqual(sdk.records);
    expect(ours.nextToken).toBe(sdk.nextToken);
  });

  it('decode a character split between two chunks of the body whole', async () => {
    const body = JSON.stringify({ Events: [{ CloudTrailEvent: '{"who":"é😀"}' }], NextToken: 'n' });
    const inside = Buffer.from(body, 'utf8').indexOf(Buffer.from('😀', 'utf8')) + 2;
    reply = { status: 200, body, splitAt: inside };
    expect(await lookupPage(client, input)).toEqual({ records: ['{"who":"é😀"}'], nextToken: 'n' });
    reply = { status: 200, body: body.slice(0, -1), splitAt: inside };
    const sdk = await client.send(new LookupEventsCommand(input)).then(() => undefined, (e: unknown) => e as Error);
    const ours = await lookupPage(client, input).then(() => undefined, (e: unknown) => e as Error);
    expect(ours?.name).toBe(sdk?.name);
  });

  it('treat a missing or null CloudTrailEvent, Events and NextToken as the SDK does', async () => {
    for (const body of ['{}', '{"Events":[]}', '{"Events":null,"NextToken":null}', '{"Events":[{"EventId":"a"},{"CloudTrailEvent":null}]}', '{"NextToken":""}']) {
      const { ours, sdk } = await bothWays(body);
      expect(ours.records).toEqual(sdk.records);
      expect(ours.nextToken ?? undefined).toBe(sdk.nextToken || undefined);
    }
  });

  it('leave a body of another shape to the SDK', () => {
    expect(readLookupPage('[]')).toBeUndefined();
    expect(readLookupPage('{"Events":{}}')).toBeUndefined();
    expect(readLookupPage('{"Events":[1]}')).toBeUndefined();
    expect(readLookupPage('{"Events":[{"CloudTrailEvent":{}}]}')).toBeUndefined();
    expect(readLookupPage('{"NextToken":5}')).toBeUndefined();
    expect(readLookupPage('{"Events":[')).toBeUndefined();
  });

  it('fail a truncated body the way the SDK fails it', async () => {
    reply = { status: 200, body: '{"Events":[{"CloudTrailEvent":"{}"' };
    const ours = await lookupPage(client, input).then(() => undefined, (e: unknown) => e as Error);
    const sdk = await client.send(new LookupEventsCommand(input)).then(() => undefined, (e: unknown) => e as Error);
    expect(ours).toBeInstanceOf(Error);
    expect(ours?.name).toBe(sdk?.name);
  });

  it('leave error responses to the SDK: the service error, its name and status', async () => {
    reply = { status: 400, body: JSON.stringify({ __type: 'InvalidLookupAttributesException', message: 'bad attribute' }) };
    const err = (await lookupPage(client, input).then(() => undefined, (e: unknown) => e)) as { name: string; message: string; $metadata: { httpStatusCode: number } };
    expect(err.name).toBe('InvalidLookupAttributesException');
    expect(err.message).toBe('bad attribute');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('is retried by the SDK on a server error and reads the page that follows', async () => {
    let calls = 0;
    const before = requests;
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      requests += 1;
      calls += 1;
      req.resume();
      req.on('end', () => {
        if (calls === 1) {
          res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'InternalFailure', message: 'try again' }));
        } else {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ Events: [{ CloudTrailEvent: '{"eventName":"AssumeRole"}' }], NextToken: 'n2' }));
        }
      });
    });
    const page = await lookupPage(client, input);
    expect(requests - before).toBe(2);
    expect(page).toEqual({ records: ['{"eventName":"AssumeRole"}'], nextToken: 'n2' });
  });
});

describe('lookupPage on a client with the reader installed and its middleware cached', () => {
  let echo: Server;
  let cached: CloudTrailClient;
  let lastBody = '';
  beforeAll(async () => {
    // Each request's page names its own NextToken, so a page read for one request and handed to another shows.
    echo = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        lastBody = body;
        const token = (JSON.parse(body) as { NextToken?: string }).NextToken ?? 'first';
        const wait = Number(token.replace(/\D/g, '') || 0) % 3;
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          // An EventTime the SDK's deserializer rejects and the reader never looks at: which path read the page shows.
          const event = token === 'odd-time' ? { CloudTrailEvent: '{"for":"odd-time"}', EventTime: 'not a time' } : { CloudTrailEvent: `{"for":"${token}"}` };
          res.end(JSON.stringify({ Events: [event], NextToken: `after-${token}` }));
        }, wait * 5);
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const { port } = echo.address() as AddressInfo;
    cached = addLookupPageReader(
      new CloudTrailClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 2, cacheMiddleware: true }),
    );
  });
  afterAll(async () => {
    cached?.destroy();
    await new Promise((r) => echo?.close(r));
  });

  it('gives each of many concurrent requests its own page', async () => {
    const tokens = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const pages = await Promise.all(tokens.map((t) => lookupPage(cached, { ...input, NextToken: t })));
    expect(pages).toEqual(tokens.map((t) => ({ records: [`{"for":"${t}"}`], nextToken: `after-${t}` })));
  });

  it('sends exactly the request body the SDK sends for the same input (the page slot is not serialized)', async () => {
    const page = await lookupPage(cached, { ...input, NextToken: 'body1' });
    const ours = lastBody;
    await cached.send(new LookupEventsCommand({ ...input, NextToken: 'body1' }));
    expect(page.nextToken).toBe('after-body1');
    expect(ours).toBe(lastBody);
    expect(JSON.parse(ours)).toEqual({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }], MaxResults: 50, NextToken: 'body1' });
  });

  it('reads the page itself, not through the SDK’s deserializer', async () => {
    expect(await lookupPage(cached, { ...input, NextToken: 'odd-time' })).toEqual({ records: ['{"for":"odd-time"}'], nextToken: 'after-odd-time' });
    await expect(cached.send(new LookupEventsCommand({ ...input, NextToken: 'odd-time' }))).rejects.toThrow();
  });

  it('leaves a plain LookupEvents call on the same client to the SDK', async () => {
    await lookupPage(cached, input);
    const out = await cached.send(new LookupEventsCommand({ ...input, NextToken: 'plain7' }));
    expect(out.Events?.map((e) => e.CloudTrailEvent)).toEqual(['{"for":"plain7"}']);
    expect(out.NextToken).toBe('after-plain7');
    expect(await lookupPage(cached, { ...input, NextToken: 'again' })).toEqual({ records: ['{"for":"again"}'], nextToken: 'after-again' });
  });
});

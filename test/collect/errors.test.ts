import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { describeError, failureFields } from '../../src/collect/errors.js';

describe('describeError keeps the error code and the HTTP status for the coverage item', () => {
  let server: http.Server;
  let endpoint: string;
  let reply: { status: number; type: string; body: string } = { status: 502, type: 'text/html', body: '' };

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(reply.status, { 'content-type': reply.type });
      res.end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const lookup = async (): Promise<unknown> => {
    const client = new CloudTrailClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
    try {
      await client.send(new LookupEventsCommand({}));
    } catch (e) {
      return e;
    } finally {
      client.destroy();
    }
    throw new Error('the call succeeded');
  };

  it('an answer that is not an AWS error (a proxy HTML 502) keeps its status', async () => {
    reply = { status: 502, type: 'text/html', body: '<html><body>Bad Gateway</body></html>' };
    const d = describeError(await lookup(), 'cloudtrail:LookupEvents');
    expect(d.httpStatus).toBe(502);
    expect(failureFields(d)).toEqual({ errorCode: d.code, httpStatus: 502 });
    expect(d.detail).toContain(`(${d.code})`);
    expect(d.accessDenied).toBe(false);
  });

  it('an AWS error keeps its code and status', async () => {
    reply = {
      status: 400,
      type: 'application/x-amz-json-1.1',
      body: JSON.stringify({ __type: 'AccessDeniedException', message: 'not authorized to perform cloudtrail:LookupEvents' }),
    };
    const d = describeError(await lookup(), 'cloudtrail:LookupEvents');
    expect(failureFields(d)).toEqual({ errorCode: 'AccessDeniedException', httpStatus: 400 });
    expect(d.accessDenied).toBe(true);
  });

  it('no answer at all (connection refused) has no status', () => {
    const d = describeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'sts:AssumeRole');
    expect(failureFields(d)).toEqual({ errorCode: 'Error' });
  });
});

/**
 * The one HTTP server every SDK client points at. It routes each request by the service in its SigV4
 * credential scope, runs it as the account its access key belongs to, and applies what a real endpoint
 * would: authentication errors, injected faults, CloudTrail's per account-and-region rate limit.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { accessAnalyzerService } from './access-analyzer.js';
import { athenaService } from './athena.js';
import { cloudTrailService } from './cloudtrail.js';
import { header, ServiceError, type ApiRequest, type HttpResponse, type Principal, type ServiceName } from './http-types.js';
import { iamService } from './iam.js';
import { organizationsService } from './organizations.js';
import type { Rng } from './prng.js';
import { s3Service } from './s3.js';
import { sesService } from './ses.js';
import { securityHubService } from './security-hub.js';
import { ssmService } from './ssm.js';
import {
  accessDenied,
  expiredToken,
  internalError,
  invalidAccessKey,
  invalidSessionToken,
  malformedAuthorization,
  missingAuthentication,
  throttlingError,
} from './service-errors.js';
import { credentialScope } from './sigv4.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { stsService } from './sts.js';

const MODULES: Record<ServiceName, ServiceModule> = {
  iam: iamService,
  sts: stsService,
  organizations: organizationsService,
  cloudtrail: cloudTrailService,
  'access-analyzer': accessAnalyzerService,
  s3: s3Service,
  ses: sesService,
  securityhub: securityHubService,
  ssm: ssmService,
  athena: athenaService,
};

function isService(name: string): name is ServiceName {
  return Object.hasOwn(MODULES, name);
}

/** For unsigned requests there is no credential scope: tell the protocol from the request's shape. */
function sniffService(raw: RawRequest): ServiceName {
  const target = header(raw.headers, 'x-amz-target') ?? '';
  if (target.startsWith('AWSOrganizations')) return 'organizations';
  if (target.includes('CloudTrail_20131101.')) return 'cloudtrail';
  if (raw.url.pathname === '/analyzer' || raw.url.pathname.startsWith('/findingv2')) return 'access-analyzer';
  if (raw.url.pathname.startsWith('/v2/email/')) return 'ses';
  if (target.startsWith('AmazonSSM.')) return 'ssm';
  if (target.startsWith('AmazonAthena.')) return 'athena';
  if (raw.url.pathname.startsWith('/findings')) return 'securityhub';
  const body = raw.body.toString('utf8', 0, Math.min(raw.body.length, 4096));
  if (/(^|&)Action=/.test(body) || raw.url.searchParams.has('Action')) {
    return /(^|&)Version=2011-06-15/.test(body) || raw.url.searchParams.get('Version') === '2011-06-15' ? 'sts' : 'iam';
  }
  return 's3';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: HttpResponse): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  const headers = { ...r.headers };
  if (headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  res.writeHead(r.status, headers);
  res.end(body);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface RouterDeps {
  state: EmulatorState;
  requestIds: Rng;
}

function authenticate(service: ServiceName, state: EmulatorState, accessKeyId: string, token: string | undefined): Principal {
  const creds = state.credentials.get(accessKeyId);
  if (!creds) throw invalidAccessKey(service);
  if (creds.sessionToken !== undefined && creds.sessionToken !== token) throw invalidSessionToken(service);
  if (creds.expiration && creds.expiration.getTime() <= state.clock().getTime()) throw expiredToken(service);
  return creds;
}

// A regional endpoint's host names its region: s3.eu-west-1.amazonaws.com, bucket.s3.eu-west-1.localhost,
// and the legacy dash form s3-eu-west-1.
const REGIONAL_HOST = /(?:^|\.)s3[.-]([a-z]{2}(?:-[a-z]+)+-\d)\./;

function endpointRegionOf(req: IncomingMessage, listenerRegion: string | undefined): string | undefined {
  if (listenerRegion) return listenerRegion;
  const host = (req.headers.host ?? '').split(':')[0] ?? '';
  return REGIONAL_HOST.exec(host)?.[1];
}

export async function handleRequest(deps: RouterDeps, req: IncomingMessage, res: ServerResponse, listenerRegion?: string): Promise<void> {
  const { state } = deps;
  const requestId = deps.requestIds.uuid();
  const endpointRegion = endpointRegionOf(req, listenerRegion);
  const raw: RawRequest = {
    method: req.method ?? 'GET',
    url: new URL(req.url ?? '/', 'http://127.0.0.1'),
    headers: req.headers,
    body: await readBody(req),
    ...(endpointRegion ? { endpointRegion } : {}),
  };
  const scope = credentialScope(req.headers, raw.url);
  const scopedService = scope.ok ? scope.scope.service : undefined;
  if (scopedService !== undefined && !isService(scopedService)) {
    send(res, {
      status: 400,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
      body: JSON.stringify({ __type: 'UnknownServiceException', message: `The emulator does not speak ${scopedService}` }),
    });
    return;
  }
  const service: ServiceName = scopedService ?? sniffService(raw);
  const mod = MODULES[service];
  const operation = mod.operation(raw);
  const key = `${service}:${operation}`;
  state.calls.set(key, (state.calls.get(key) ?? 0) + 1);

  try {
    if (!scope.ok) throw scope.reason === 'missing' ? missingAuthentication(service) : malformedAuthorization(service);
    const principal = authenticate(service, state, scope.scope.accessKeyId, scope.scope.sessionToken);
    const delay = state.faults.latencyFor(key);
    if (delay > 0) await sleep(delay);
    if (state.faults.deniesOperation(principal.accountId, key)) throw accessDenied(service, principal.arn, `${service}:${operation}`);
    if (state.faults.throttles(key)) throw throttlingError(service);
    if (state.faults.fails(key)) throw internalError(service);
    if (key === 'cloudtrail:LookupEvents' && !state.lookupEventsLimiter.take(`${principal.accountId}|${scope.scope.region}`)) {
      throw throttlingError(service);
    }
    const api: ApiRequest = { ...raw, service, region: scope.scope.region, operation, principal, requestId };
    send(res, await mod.handle(api, state));
  } catch (e) {
    const err = e instanceof ServiceError ? e : internalError(service);
    if (!(e instanceof ServiceError)) process.stderr.write(`emulator: ${key} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    send(res, mod.renderError(err, raw, requestId));
  }
}

/** `region`: the server is that region's own endpoint (see StartEmulatorOptions.regionalEndpoints). */
export function createEmulatorServer(deps: RouterDeps, region?: string): Server {
  return createServer((req, res) => {
    handleRequest(deps, req, res, region).catch((e: unknown) => {
      process.stderr.write(`emulator: unhandled ${String(e)}\n`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}

/**
 * The local AWS: `startEmulator()` generates the synthetic organization and serves it on one loopback
 * port over the real wire protocols, so unmodified SDK clients (endpoint, region, credentials,
 * forcePathStyle for S3) run against it. Used by the tests, the demo and the benchmarks.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCorpus, type CorpusFile } from './corpus.js';
import { CredentialStore } from './credentials.js';
import { Faults, type FaultConfig } from './faults.js';
import type { GenerateOrgOptions, SyntheticOrg } from './org-types.js';
import { Rng } from './prng.js';
import { TokenBuckets } from './rate-limit.js';
import { S3Store } from './s3-store.js';
import { createEmulatorServer } from './server.js';
import type { EmulatorState, SentEmail } from './state.js';
import { ARCHIVE_BUCKET, generateOrg } from './synthetic-org.js';
import { writeTrailFiles, type TrailFilesOptions, type TrailFilesWritten } from './trail-files.js';
import { closeAthena } from './athena.js';
export { athenaEngineProblem } from './athena-engine.js';

export * from './synthetic-org.js';
export type { FaultConfig } from './faults.js';
export type { CorpusAccount, CorpusFile, CorpusPolicy, CorpusRole } from './corpus.js';
export type { SentEmail } from './state.js';
/** Where the demo and tests have Athena write query results: created with the trail, as an Athena user's results bucket. */
export const ATHENA_RESULTS_BUCKET = 'aws-athena-query-results-emulator';
export { TRAIL_BUCKET, trailLogKey, type TrailFilesOptions, type TrailFilesWritten } from './trail-files.js';

export interface StartEmulatorOptions {
  /** Seeds the organization (unless `org.seed` says otherwise) and the fault and id generators. */
  seed?: number;
  org?: Partial<GenerateOrgOptions>;
  faults?: FaultConfig;
  /** The instant the organization's history ends; defaults to the current time. */
  now?: Date;
  /** CloudTrail LookupEvents per account and region per second; AWS allows 2. 0 or Infinity disables. */
  lookupEventsPerSecond?: number;
  /** Milliseconds for the LookupEvents token buckets; defaults to performance.now. Tests that must not
   * depend on how fast a loaded machine sends a burst give a clock they move themselves. */
  rateLimitClock?: () => number;
  /** Start SES in the sandbox, as a new account's SES is: only verified recipients. Default false. */
  sesSandbox?: boolean;
  /**
   * Bucket policies see aws:SecureTransport "true", as behind TLS. Default false: the emulator is plain
   * HTTP, so a TLS-only policy refuses every request, as S3 would refuse plain HTTP.
   */
  assumeTls?: boolean;
  /** Defaults to an ephemeral port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Roles to serve instead of the generated ones (see corpus.ts), for checks against known verdicts. */
  corpus?: CorpusFile;
  /** Also deliver the organization's history as trail log files into S3 (trail-files.ts); off by default. */
  organizationTrail?: TrailFilesOptions;
  /**
   * Regions that get their own endpoint (one more loopback port each), as s3.<region>.amazonaws.com is one
   * region's: S3 there answers a request for a bucket of another region with 301 PermanentRedirect. The main
   * endpoint answers for every region, as S3's DNS-routed names do.
   */
  regionalEndpoints?: readonly string[];
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:40123 — one endpoint for every service. */
  endpoint: string;
  /** Each region of `regionalEndpoints`: that region's own endpoint (every service, S3 bound to the region). */
  regionalEndpoints: Readonly<Record<string, string>>;
  org: SyntheticOrg;
  /** Long-lived keys of the management account's `access-review` IAM user. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: 'us-east-1';
  /** Where the trail log files are, when `organizationTrail` asked for them. */
  trail?: TrailFilesWritten & { prefix?: string; organizationId?: string };
  /** Requests seen per "service:Operation", refused ones (throttled, denied, failed) included. */
  calls(): Record<string, number>;
  resetCalls(): void;
  /** Every message SES SendEmail accepted, oldest first, in any account and region. */
  outbox(): readonly SentEmail[];
  setSesSandbox(on: boolean): void;
  setFaults(faults: FaultConfig): void;
  setLookupEventsPerSecond(rate: number): void;
  /** The environment a child process needs to reach the emulator with the default credentials. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export const DEFAULT_LOOKUP_EVENTS_PER_SECOND = 2;

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = options.seed ?? options.org?.seed ?? 42;
  const org = generateOrg({ ...options.org, seed: options.org?.seed ?? seed, ...(options.now ? { now: options.now } : {}) });
  if (options.corpus) loadCorpus(org, options.corpus);
  const clock = () => new Date();
  const s3 = new S3Store();
  // The archive bucket exists from the start, with Object Lock, as a compliance archive would be.
  s3.create(ARCHIVE_BUCKET, org.organization.managementAccountId, 'us-east-1', true, new Date(Date.parse(org.now) - 300 * 86_400_000));
  const trail = options.organizationTrail ? writeTrailFiles(s3, org, options.organizationTrail) : undefined;
  if (options.organizationTrail) s3.create(ATHENA_RESULTS_BUCKET, org.organization.managementAccountId, 'us-east-1', false, new Date(Date.parse(org.now) - 400 * 86_400_000));
  const credentials = new CredentialStore(org);
  const state: EmulatorState = {
    org,
    accounts: new Map(org.accounts.map((a) => [a.id, a])),
    credentials,
    faults: new Faults(seed, options.faults),
    lookupEventsLimiter: new TokenBuckets(options.lookupEventsPerSecond ?? DEFAULT_LOOKUP_EVENTS_PER_SECOND, options.rateLimitClock),
    s3,
    outbox: [],
    securityHub: new Map(),
    ssmParameters: new Map(),
    sesSandbox: options.sesSandbox ?? false,
    calls: new Map(),
    assumeTls: options.assumeTls ?? false,
    clock,
    endpoints: { main: '', regional: new Map() },
  };
  const deps = { state, requestIds: new Rng(seed).fork('request-ids') };
  const host = options.host ?? '127.0.0.1';
  const listen = async (server: Server, port: number): Promise<string> => {
    // Clients keep connections open as they do with AWS: Node's agent drops an idle socket one second before
    // the server's advertised timeout, so at 1 s no connection was ever reused and every request paid a TCP
    // connect on both sides. close() still ends open keep-alive sockets (closeAllConnections).
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return `${host}:${(server.address() as AddressInfo).port}`;
  };
  const server = createEmulatorServer(deps);
  state.endpoints.main = await listen(server, options.port ?? 0);
  const endpoint = `http://${state.endpoints.main}`;
  const regional = new Map<string, Server>();
  for (const region of new Set(options.regionalEndpoints ?? [])) {
    const s = createEmulatorServer(deps, region);
    regional.set(region, s);
    state.endpoints.regional.set(region, await listen(s, 0));
  }
  const keys = { accessKeyId: credentials.management.accessKeyId, secretAccessKey: credentials.management.secretAccessKey };

  return {
    endpoint,
    regionalEndpoints: Object.fromEntries([...state.endpoints.regional].map(([region, hostPort]) => [region, `http://${hostPort}`])),
    org,
    credentials: keys,
    region: 'us-east-1',
    ...(trail
      ? {
          trail: {
            ...trail,
            ...(options.organizationTrail?.prefix ? { prefix: options.organizationTrail.prefix } : {}),
            ...((options.organizationTrail?.layout ?? 'organization') === 'organization' ? { organizationId: org.organization.id } : {}),
          },
        }
      : {}),
    calls: () => Object.fromEntries([...state.calls.entries()].sort(([a], [b]) => a.localeCompare(b))),
    resetCalls: () => state.calls.clear(),
    // A copy, so a caller holding the list does not see later sends appear in it.
    outbox: () => [...state.outbox],
    setSesSandbox: (on) => {
      state.sesSandbox = on;
    },
    setFaults: (f) => state.faults.set(f),
    setLookupEventsPerSecond: (rate) => state.lookupEventsLimiter.setRate(rate),
    env: () => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    }),
    close: async () => {
      const stop = (s: Server) =>
        new Promise<void>((resolve, reject) => {
          s.close((err) => (err ? reject(err) : resolve()));
          s.closeAllConnections();
        });
      await Promise.all([stop(server), ...[...regional.values()].map(stop)]);
      await closeAthena(state);
    },
  };
}

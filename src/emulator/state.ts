/** Everything the running emulator holds: the org, keys, faults, limits, the S3 store, sent email and call counts. */
import type { CredentialStore } from './credentials.js';
import type { Faults } from './faults.js';
import type { HttpResponse, ApiRequest, ServiceError, ServiceName } from './http-types.js';
import type { SyntheticAccount, SyntheticOrg } from './org-types.js';
import type { TokenBuckets } from './rate-limit.js';
import type { S3Store } from './s3-store.js';
import type { StoredParameter } from './ssm.js';

export interface EmulatorState {
  org: SyntheticOrg;
  accounts: ReadonlyMap<string, SyntheticAccount>;
  credentials: CredentialStore;
  faults: Faults;
  lookupEventsLimiter: TokenBuckets;
  s3: S3Store;
  /** Messages SES accepted, oldest first; nothing is delivered anywhere. */
  outbox: SentEmail[];
  /** SES sandbox: recipients must be verified identities too (a new SES account's state). */
  sesSandbox: boolean;
  /** Security Hub findings per "account|region", keyed by "ProductArn|Id" (the API's identity of a finding). */
  securityHub: Map<string, Map<string, Record<string, unknown>>>;
  /** SSM parameters by "account|region|name". */
  ssmParameters: Map<string, StoredParameter>;
  calls: Map<string, number>;
  /** Condition key aws:SecureTransport as "true": the plain-HTTP emulator standing for an endpoint behind TLS. */
  assumeTls: boolean;
  /** Wall-clock time, for credential expiry: the SDK compares expirations against the real clock. */
  clock: () => Date;
  /**
   * host:port of each region's own endpoint (startEmulator's `regionalEndpoints`), and of the main one, which
   * answers for every region as S3's DNS-routed names do. S3 names them in a 301 PermanentRedirect.
   */
  endpoints: { main: string; regional: Map<string, string> };
}

/** One message SES accepted, as the caller handed it over. */
export interface SentEmail {
  messageId: string;
  /** The account of the credentials that sent it. */
  accountId: string;
  region: string;
  /** The sender checked against the verified identities: FromEmailAddress, else the From: header (bare address). */
  from: string;
  /** To, Cc and Bcc in that order, bare addresses: from Destination, or the raw headers when Destination was empty. */
  destinations: string[];
  /** The MIME message exactly as decoded from Content.Raw.Data. */
  raw: Buffer;
  /** ISO 8601, when the emulator accepted it. */
  at: string;
}

/** What the router needs to know of the request before authenticating it. */
export interface RawRequest {
  method: string;
  url: URL;
  headers: ApiRequest['headers'];
  body: Buffer;
  /** The region whose endpoint the request was sent to, when the endpoint names one (see ApiRequest). */
  endpointRegion?: string;
}

export interface ServiceModule {
  name: ServiceName;
  /** The operation the request asks for, worked out from the request alone. */
  operation(raw: RawRequest): string;
  handle(req: ApiRequest, state: EmulatorState): HttpResponse | Promise<HttpResponse>;
  renderError(err: ServiceError, raw: RawRequest, requestId: string): HttpResponse;
}

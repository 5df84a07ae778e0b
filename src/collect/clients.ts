/**
 * One place that builds AWS clients, so every client gets the same endpoint, retry and credential
 * settings. The product reaches AWS, an emulator or a proxy through the SDK's ordinary settings only.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { AthenaClient } from '@aws-sdk/client-athena';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { addLookupPageReader } from './lookup-page.js';

export interface AwsSettings {
  region: string;
  endpoint?: string;
  s3ForcePathStyle: boolean;
  maxAttempts: number;
}

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface ClientFactory {
  readonly credentials: Credentials;
  /**
   * How to build the same factory in another thread: its settings, and its credentials when they are
   * static (absent: the SDK's default chain). Undefined when its credentials are a provider function.
   */
  readonly origin?: { settings: AwsSettings; credentials?: AwsCredentialIdentity };
  /** The configured home region (regional services not told otherwise use it). */
  readonly region: string;
  iam(): IAMClient;
  sts(): STSClient;
  organizations(): OrganizationsClient;
  cloudtrail(region: string): CloudTrailClient;
  accessAnalyzer(region: string): AccessAnalyzerClient;
  /** S3 signing for `region` (default: the home region): a bucket answers only requests signed for its own region. */
  s3(region?: string): S3Client;
  /** Athena in `region` (default: the home region), where the usage route's workgroup and results live. */
  athena(region?: string): AthenaClient;
  ses(region: string): SESv2Client;
  securityHub(region: string): SecurityHubClient;
  /** A factory whose clients act in another account through AssumeRole (refreshed as it expires). */
  assume(roleArn: string, externalId?: string): ClientFactory;
}

export function createClientFactory(settings: AwsSettings, given?: Credentials): ClientFactory {
  const credentials = given ?? fromNodeProviderChain();
  const origin = given === undefined ? { settings } : typeof given === 'function' ? undefined : { settings, credentials: given };
  const base = (region: string) => ({
    region,
    credentials,
    maxAttempts: settings.maxAttempts,
    // Adaptive retry slows the client down on throttling instead of failing the run.
    retryMode: 'adaptive' as const,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
  // The collection's clients send tens of thousands of requests with no per-request middleware: resolving
  // each command's middleware stack once instead of on every request was ~0.3 ms of CPU a request.
  const collecting = (region: string) => ({ ...base(region), cacheMiddleware: true });
  const cache = new Map<string, unknown>();
  const memo = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  // IAM and Organizations are global; their aws-partition endpoints live in us-east-1.
  const globalRegion = settings.region.startsWith('cn-') || settings.region.startsWith('us-gov-') ? settings.region : 'us-east-1';
  return {
    credentials,
    ...(origin ? { origin } : {}),
    region: settings.region,
    iam: () => memo('iam', () => new IAMClient(collecting(globalRegion))),
    sts: () => memo('sts', () => new STSClient(collecting(settings.region))),
    organizations: () => memo('org', () => new OrganizationsClient(collecting(globalRegion))),
    cloudtrail: (region) => memo(`ct:${region}`, () => addLookupPageReader(new CloudTrailClient(collecting(region)))),
    accessAnalyzer: (region) => memo(`aa:${region}`, () => new AccessAnalyzerClient(collecting(region))),
    s3: (region = settings.region) =>
      memo(region === settings.region ? 's3' : `s3:${region}`, () =>
        new S3Client({
          ...base(region),
          forcePathStyle: settings.s3ForcePathStyle,
          // S3-compatible endpoints often reject the SDK's default CRC32 trailers; AWS itself does not mind.
          ...(settings.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
        }),
      ),
    athena: (region = settings.region) => memo(`athena:${region}`, () => new AthenaClient(base(region))),
    ses: (region) => memo(`ses:${region}`, () => new SESv2Client(base(region))),
    securityHub: (region) => memo(`sh:${region}`, () => new SecurityHubClient(base(region))),
    assume: (roleArn, externalId) =>
      createClientFactory(
        settings,
        shareCredentials(fromTemporaryCredentials({
          params: {
            RoleArn: roleArn,
            RoleSessionName: 'access-review',
            DurationSeconds: 3600,
            ...(externalId ? { ExternalId: externalId } : {}),
          },
          masterCredentials: credentials,
          clientConfig: base(settings.region),
        })),
      ),
  };
}

/**
 * One set of temporary credentials for all of an account's clients: each SDK client caches credentials
 * on its own, so without this every client (IAM, STS, and CloudTrail and Access Analyzer per region)
 * would call AssumeRole for the same account. Refreshed five minutes before expiry; concurrent callers
 * share one in-flight request.
 */
export function shareCredentials(provider: AwsCredentialIdentityProvider, clock: () => number = Date.now): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity | undefined): c is AwsCredentialIdentity =>
    c !== undefined && (!c.expiration || clock() < c.expiration.getTime() - 5 * 60_000);
  return async () => {
    if (fresh(cached)) return cached;
    // A failed assumption is not cached: the next caller tries again.
    inFlight ??= provider().then(
      (c) => {
        cached = c;
        inFlight = undefined;
        return c;
      },
      (e: unknown) => {
        inFlight = undefined;
        throw e;
      },
    );
    return inFlight;
  };
}

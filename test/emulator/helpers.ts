/** Real SDK v3 clients pointed at a running emulator, configured the way a user of any endpoint would. */
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningEmulator } from '../../src/emulator/index.js';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ClientOptions {
  region?: string;
  credentials?: Creds;
  maxAttempts?: number;
}

function base(emu: RunningEmulator, o: ClientOptions) {
  return {
    endpoint: emu.endpoint,
    region: o.region ?? emu.region,
    credentials: o.credentials ?? emu.credentials,
    ...(o.maxAttempts !== undefined ? { maxAttempts: o.maxAttempts } : {}),
  };
}

export const clients = {
  iam: (emu: RunningEmulator, o: ClientOptions = {}) => new IAMClient(base(emu, o)),
  sts: (emu: RunningEmulator, o: ClientOptions = {}) => new STSClient(base(emu, o)),
  organizations: (emu: RunningEmulator, o: ClientOptions = {}) => new OrganizationsClient(base(emu, o)),
  cloudtrail: (emu: RunningEmulator, o: ClientOptions = {}) => new CloudTrailClient(base(emu, o)),
  accessAnalyzer: (emu: RunningEmulator, o: ClientOptions = {}) => new AccessAnalyzerClient(base(emu, o)),
  ses: (emu: RunningEmulator, o: ClientOptions = {}) => new SESv2Client(base(emu, o)),
  s3: (emu: RunningEmulator, o: ClientOptions & { whenRequired?: boolean } = {}) =>
    new S3Client({
      ...base(emu, o),
      forcePathStyle: true,
      ...(o.whenRequired ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
    }),
};

/** Assumes the read-only audit role in an account with the emulator's default (management) credentials. */
export async function assumeInto(emu: RunningEmulator, accountId: string, roleName = emu.org.readOnlyRoleName): Promise<Creds> {
  const out = await clients.sts(emu).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'emulator-test' }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole returned no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** Runs a promise that must reject and returns the error, for asserting on SDK error names and metadata. */
export async function rejection(p: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number }; $fault?: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error) return e as Error & { name: string };
    throw new Error(`rejected with a non-Error: ${String(e)}`);
  }
  throw new Error('expected the promise to reject');
}

export function decodePolicy(encoded: string | undefined): unknown {
  if (encoded === undefined) throw new Error('policy document missing');
  return JSON.parse(decodeURIComponent(encoded));
}

export const FIXED_NOW = new Date('2026-11-25T06:00:00Z');

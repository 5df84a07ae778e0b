/**
 * Reads the SigV4 credential scope (access key, date, region, service) from the Authorization header or
 * a presigned URL. The emulator routes on it; it does not check signatures, only that one is present.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  sessionToken?: string;
}

export type ScopeResult = { ok: true; scope: CredentialScope } | { ok: false; reason: 'missing' | 'malformed' };

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseCredential(credential: string): Omit<CredentialScope, 'sessionToken'> | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId, date, region, service] = parts;
  if (!accessKeyId || !date || !region || !service) return undefined;
  return { accessKeyId, date, region, service };
}

export function credentialScope(headers: IncomingHttpHeaders, url: URL): ScopeResult {
  const auth = headerValue(headers, 'authorization');
  const token = headerValue(headers, 'x-amz-security-token') ?? url.searchParams.get('X-Amz-Security-Token') ?? undefined;
  if (auth) {
    const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=[^,\s]+\s*,\s*Signature=[0-9a-f]+\s*$/i.exec(auth.trim());
    const parsed = m?.[1] ? parseCredential(m[1]) : undefined;
    if (!parsed) return { ok: false, reason: 'malformed' };
    return { ok: true, scope: { ...parsed, ...(token ? { sessionToken: token } : {}) } };
  }
  const presigned = url.searchParams.get('X-Amz-Credential');
  if (presigned && url.searchParams.get('X-Amz-Signature')) {
    const parsed = parseCredential(presigned);
    if (!parsed) return { ok: false, reason: 'malformed' };
    return { ok: true, scope: { ...parsed, ...(token ? { sessionToken: token } : {}) } };
  }
  return { ok: false, reason: 'missing' };
}

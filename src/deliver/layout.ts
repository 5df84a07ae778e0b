/**
 * The archive's key layout: {prefix}/{scope}/{yyyy}/{mm}/{dd}/{runId}/{artifact}. Dated so auditors can
 * browse by period, and run-scoped so two runs on one day never share a key.
 */

import { checkKeySegment } from './safe-path.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** A sortable run id: the start time to the second, plus a random suffix for runs in the same second. */
export function makeRunId(now: Date, random: string): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${t}-${random}`;
}

export function scopeIdOf(scope: { mode: 'account' | 'organization'; organizationId?: string; accountId?: string }): string {
  if (scope.mode === 'organization' && scope.organizationId) return `organization-${scope.organizationId}`;
  return `account-${scope.accountId ?? 'unknown'}`;
}

/** An S3 key from its parts: the configured prefix may carry slashes at either end or be empty. */
export function joinKey(prefix: string, ...parts: string[]): string {
  return [prefix.replace(/^\/+|\/+$/g, ''), ...parts].filter((p) => p !== '').join('/');
}

export function runPrefix(prefix: string, scopeId: string, runId: string, at: Date): string {
  return joinKey(prefix, checkKeySegment(prefix, scopeId), String(at.getUTCFullYear()), pad(at.getUTCMonth() + 1), pad(at.getUTCDate()), checkKeySegment(prefix, runId));
}

export function scopePrefix(prefix: string, scopeId: string): string {
  return `${joinKey(prefix, scopeId)}/`;
}

/** The run folder a manifest key belongs to: ".../{runId}/manifest.json" -> ".../{runId}". */
export function runFolderOfKey(key: string): string {
  return key.slice(0, key.lastIndexOf('/'));
}

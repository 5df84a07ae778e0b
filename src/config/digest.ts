/**
 * Ties a run to its configuration: the effective configuration (file and environment merged, defaults
 * applied) with secrets redacted, as canonical JSON (keys sorted), and its SHA-256. Two runs with the same
 * digest were made with the same settings; the echo is what a reader of the report needs to judge it.
 */
import { createHash } from 'node:crypto';
import type { ConfigEcho, RunConfiguration } from '../model/review.js';
import type { Scope } from '../model/snapshot.js';
import type { Config } from './config.js';

const REDACTED = '<redacted>';

/**
 * The effective configuration with what must not be archived replaced (the SMTP password is never in it),
 * and without the local output folder: where a copy is written (often a per-invocation --out) changes
 * nothing in the review.
 */
export function redactedConfig(config: Config): Config {
  const copy = structuredClone(config);
  delete copy.output.dir;
  if (copy.scope.memberRoleExternalId !== undefined) copy.scope.memberRoleExternalId = REDACTED;
  if (copy.email?.smtp?.username !== undefined) copy.email.smtp.username = REDACTED;
  return copy;
}

/** JSON with object keys sorted at every level, so the digest does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function configDigest(config: Config): string {
  return createHash('sha256').update(canonicalJson(redactedConfig(config))).digest('hex');
}

/** The configured usage source in words, for the report's appendix. */
export function usageSourceLabel(ct: Config['cloudtrail']): string {
  const t = ct.organizationTrail;
  const trail = t
    ? `organization trail s3://${t.bucket}/${t.prefix ? `${t.prefix.replace(/\/+$/, '')}/` : ''} (${[t.organizationId ?? 'account-trail layout', ...(t.region ? [`bucket in ${t.region}`] : [])].join(', ')})`
    : undefined;
  const a = ct.athena;
  const athena = a
    ? `Amazon Athena (${a.region ? `${a.region}, ` : ''}workgroup ${a.workGroup}, ${a.table === 'create' ? `a table created over the ${trail ?? 'trail'} in ${a.database}` : `table ${a.database}.${a.table}`})`
    : undefined;
  if (ct.source === 'athena' && athena) return athena;
  if (ct.source === 'organization-trail' && trail) return trail;
  if (ct.source === 'auto' && athena) return `auto: ${athena} when its workgroup answers, else ${trail ? `the ${trail} when readable, else ` : ''}event history`;
  if (ct.source === 'auto') return trail ? `auto: the ${trail} when readable, else event history` : 'auto: event history (no trail configured)';
  return 'CloudTrail event history (LookupEvents, at most 90 days)';
}

/**
 * `collected` is the snapshot's own record of what was collected (mode, regions, and since snapshot 1.5 the
 * usage source, window and sources read): the echo states that, not the settings of whoever re-analyzes the
 * snapshot later with another configuration.
 */
export function runConfiguration(config: Config, vendorCatalogueSize: number, collected?: Pick<Scope, 'mode' | 'regions' | 'collectedWith'>): RunConfiguration {
  const w = collected?.collectedWith;
  const echo: ConfigEcho = {
    mode: collected?.mode ?? config.scope.mode,
    accounts: config.scope.accounts,
    excludeAccounts: config.scope.excludeAccounts,
    regions: collected?.regions ?? config.regions,
    lookbackDays: w?.lookbackDays ?? config.cloudtrail.lookbackDays,
    usageSource: w?.usageSource ?? usageSourceLabel(config.cloudtrail),
    cloudtrailEnabled: w?.cloudtrailEnabled ?? config.cloudtrail.enabled,
    incremental: w?.incremental ?? config.cloudtrail.incremental,
    accessAnalyzerEnabled: w?.accessAnalyzerEnabled ?? config.accessAnalyzer.enabled,
    unusedAfterDays: config.analysis.unusedAfterDays,
    vendors: { source: 'data/vendors.json and analysis.vendors', count: vendorCatalogueSize, extra: config.analysis.vendors.length },
    suppressions: config.analysis.suppressions.map((s) => ({ ruleId: s.ruleId, resource: s.resource, owner: s.owner, expires: s.expires })),
    output: {
      formats: config.output.formats,
      pdfRoles: config.output.pdfRoles,
      pdfAccessible: config.output.pdfAccessible,
      paper: config.output.paper,
    },
    owners: {
      roleTagKeys: config.owners.roleTagKeys,
      accountTagKeys: config.owners.accountTagKeys,
      configured: config.owners.list.length,
      reports: config.owners.reports,
      allClear: config.owners.allClear,
    },
  };
  return { sha256: configDigest(config), echo };
}

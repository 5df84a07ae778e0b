/**
 * Plain formatting functions shared by the Handlebars helpers, the charts and the CSV writer. Everything is
 * deterministic: dates are UTC (a report generated in Frankfurt and one generated in Ohio must read the
 * same), numbers use one fixed locale, and "how long ago" is measured from the review's own generatedAt,
 * never from the machine clock.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const DAY_MS = 86_400_000;

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function parse(iso: string | undefined): Date | undefined {
  if (iso === undefined || iso === '') return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "25 Nov 2026"; the input as written when it is not a date (never hide what the data said). */
export function formatDay(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const d = parse(iso);
  if (d === undefined) return iso;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
}

/** "25 Nov 2026, 06:00 UTC". */
export function formatDateTime(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const d = parse(iso);
  if (d === undefined) return iso;
  return `${formatDay(iso)}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/**
 * Calendar days (UTC) from `from` to `to`, or undefined when either is missing or invalid. Calendar days,
 * not 24-hour periods: "expires 15 Dec" read on 25 Nov is 20 days away whatever the hour.
 */
export function daysBetween(from: string | undefined, to: string | undefined): number | undefined {
  const a = parse(from);
  const b = parse(to);
  if (a === undefined || b === undefined) return undefined;
  const day = (d: Date): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(b) - day(a)) / DAY_MS);
}

/** "today", "yesterday", "12 days ago", "3 months ago", relative to `now` (the review's generatedAt). */
export function formatAgo(iso: string | undefined, now: string): string {
  const days = daysBetween(iso, now);
  if (days === undefined) return '';
  if (days < 0) return 'after report date';
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 60) return `${days} days ago`;
  const months = Math.round(days / 30);
  if (months < 24) return `${months} months ago`;
  return `${Math.round(days / 365)} years ago`;
}

export function formatNumber(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '';
  return numberFormat.format(n);
}

/** "1 role", "3 roles", "2 policies" (pass the plural when adding an s is wrong). */
export function pluralize(count: number, singular: string, plural?: string): string {
  const word = count === 1 ? singular : (plural ?? `${singular}s`);
  return `${formatNumber(count)} ${word}`;
}

/** "critical" -> "Critical", "known-vendor" -> "Known vendor", "federated-oidc" -> "Federated (OIDC)". */
export function humanize(token: string): string {
  const special: Record<string, string> = {
    'federated-oidc': 'Federated (OIDC)',
    'federated-saml': 'Federated (SAML)',
    'org-account': 'Organization account',
    'same-account': 'Same account',
    'known-vendor': 'Known vendor',
    'external-id': 'ExternalId',
    mfa: 'MFA',
    'oidc-aud': 'OIDC audience',
    'oidc-sub': 'OIDC subject',
    'saml-aud': 'SAML audience',
    'principal-org-id': 'PrincipalOrgID',
    'principal-org-paths': 'PrincipalOrgPaths',
    'principal-account': 'PrincipalAccount',
    'principal-arn': 'PrincipalArn',
    'source-account': 'SourceAccount',
    'source-arn': 'SourceArn',
    'source-org-id': 'SourceOrgID',
    'source-ip': 'SourceIp',
    'source-vpc': 'SourceVpc',
    'access-analyzer': 'Access Analyzer',
    cloudtrail: 'CloudTrail',
    'iam-last-accessed': 'IAM last accessed',
    iam: 'IAM',
    sts: 'STS',
    organizations: 'Organizations',
    'organizations-tree': 'Organizations (OU tree)',
    'organizations-tags': 'Organizations (account tags)',
    'suppression-expired': 'Suppression expired',
    'aws-managed': 'AWS managed',
    ok: 'OK',
    'oidc-provider': 'OIDC provider',
    'saml-provider': 'SAML provider',
    'unique-id': 'Unique id',
    'canonical-user': 'Canonical user',
  };
  const hit = special[token];
  if (hit !== undefined) return hit;
  const words = token.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

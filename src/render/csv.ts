/**
 * CSV exports for auditors' spreadsheets and tools: RFC 4180 (CRLF records, fields quoted when they hold a
 * comma, quote, CR or LF, quotes doubled), plus a guard against formula injection. Role names, tags and
 * principals are attacker-influenced; a cell starting with "=" or "@" would run as a formula in Excel or
 * Sheets, so such cells get a leading apostrophe (OWASP's advice), which spreadsheets show as text.
 */
import type { Guard, Review } from '../model/review.js';
import { showInvisible } from './visible.js';

export type CsvCell = string | number | boolean | undefined | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? showInvisible(value) : String(value);
  // Numbers we write ourselves are counts and scores; only text can smuggle a formula.
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

const FINDING_COLUMNS = [
  'finding_id',
  'rule_id',
  'severity',
  'status',
  'account_id',
  'resource',
  'title',
  'message',
  'evidence',
  'remediation',
  'score',
  'suppression_owner',
  'suppression_expires',
  'suppression_reason',
  // Added last so tools reading the earlier columns by position keep working.
  'owner',
  'owner_id',
  'owner_source',
  'owner_detail',
] as const;

/** One row a finding, most severe first as in the report; evidence flattened to "label: value | ...". */
export function renderFindingsCsv(review: Review): string {
  const rows = review.findings.map((f) => [
    f.id,
    f.ruleId,
    f.severity,
    f.status,
    f.accountId,
    f.resource,
    f.title,
    f.message,
    f.evidence.map((e) => `${e.label}: ${e.value}`).join(' | '),
    f.remediation,
    f.score,
    f.suppression?.owner,
    f.suppression?.expires,
    f.suppression?.reason,
    f.owner?.name,
    f.owner?.id,
    f.owner?.source,
    f.owner?.detail,
  ]);
  return toCsv(FINDING_COLUMNS, rows);
}

const GRANT_COLUMNS = [
  'account_id',
  'role_name',
  'role_arn',
  'statement',
  'actions',
  'principal',
  'principal_type',
  'principal_class',
  'principal_kind',
  'principal_account_id',
  'vendor',
  'guards',
  'effective_guard',
  'denied_by',
  'used',
  'use_count',
  'first_seen',
  'last_seen',
  'callers',
  'usage_unknown_reason',
  'owner',
  'owner_source',
] as const;

function flattenGuard(g: Guard): string {
  const more = g.valuesOmitted ? `,… and ${g.valuesOmitted} more` : '';
  return `${g.kind} ${g.operator} ${g.key}=${g.values.join(',')}${more}${g.effective ? '' : ' (ineffective)'}`;
}

/** One row a trust grant (role x statement x principal), with its guards and observed use. */
export function renderGrantsCsv(review: Review): string {
  const owners = review.ownership?.roles ?? {};
  const rows = review.accounts.flatMap((a) =>
    a.roles.flatMap((r) =>
      r.trustGrants.map((g) => [
        g.accountId,
        r.name,
        g.roleArn,
        g.statementIndex + 1,
        g.actions.join(' '),
        g.principal.raw,
        g.principal.type,
        g.principal.class,
        g.principal.kind,
        g.principal.accountId,
        g.principal.vendor?.name,
        g.guards.map(flattenGuard).join(' | '),
        g.guards.some((x) => x.effective),
        g.negatedBy,
        // "unknown" where CloudTrail was not read: false would state non-use as fact.
        g.usage.state === 'unknown' ? 'unknown' : g.usage.used,
        g.usage.count,
        g.usage.firstSeen,
        g.usage.lastSeen,
        g.usage.callers.join(' '),
        g.usage.unknownReason,
        owners[r.arn]?.name,
        owners[r.arn]?.source,
      ]),
    ),
  );
  return toCsv(GRANT_COLUMNS, rows);
}

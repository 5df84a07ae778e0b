import type { Finding, Review } from '../../model/review.js';
import { formatDateTime, formatNumber } from '../format.js';
import { compareFindings, findingAnchor } from './findings.js';
import { shortArn, type AccountNamer } from './labels.js';
import type { ConfigurationView, PracticeView } from './types.js';

/** Findings listed per practice before "and N more": the worst, enough to start from. */
const FINDINGS_PER_PRACTICE = 5;

export function practiceViews(review: Review, namer: AccountNamer): PracticeView[] {
  const byId = new Map(review.findings.map((f) => [f.id, f]));
  return (review.practices ?? []).map((p) => {
    const findings = p.findingIds
      .map((id) => byId.get(id))
      .filter((f): f is Finding => f !== undefined)
      .sort(compareFindings);
    return {
      id: `practice-${p.practice}`,
      title: p.title,
      figures: p.figures.map((f) => ({ label: f.label, value: typeof f.value === 'number' ? formatNumber(f.value) : f.value })),
      openFindings: p.openFindings,
      findings: findings.slice(0, FINDINGS_PER_PRACTICE).map((f) => ({
        anchor: findingAnchor(f.id),
        severity: f.severity,
        text: `${f.title} — ${shortArn(f.resource, namer)}`,
      })),
      moreFindings: Math.max(0, findings.length - FINDINGS_PER_PRACTICE),
      caveats: p.caveats,
    };
  });
}

export function configurationView(review: Review): ConfigurationView | undefined {
  const c = review.configuration;
  if (c === undefined) return undefined;
  const e = c.echo;
  const list = (xs: readonly string[], none: string): string => (xs.length > 0 ? xs.join(', ') : none);
  return {
    sha256: c.sha256,
    // Scope, regions and window are what the snapshot was collected with (an "analyze" of a stored snapshot
    // runs with another configuration); the rest is this run's configuration.
    rows: [
      {
        label: 'Scope (collected)',
        value: `${review.scope.mode}${e.accounts.length > 0 ? `; only ${e.accounts.join(', ')}` : ''}${e.excludeAccounts.length > 0 ? `; excluding ${e.excludeAccounts.join(', ')}` : ''}`,
      },
      { label: 'Regions (collected)', value: list(review.scope.regions, 'none') },
      {
        label: 'CloudTrail window',
        value: e.cloudtrailEnabled
          ? `${formatDateTime(review.window.start)} to ${formatDateTime(review.window.end)} (configured: ${e.lookbackDays} days${e.incremental ? ', read incrementally from the previous run\'s ledger' : ''}${e.usageSource ? `; source: ${e.usageSource}` : ''})`
          : 'disabled in the configuration: usage not reviewed',
      },
      { label: 'Access Analyzer', value: e.accessAnalyzerEnabled ? 'read' : 'disabled' },
      { label: 'Unused after', value: `${e.unusedAfterDays} days without use` },
      { label: 'Vendor list', value: `${formatNumber(e.vendors.count)} accounts from ${e.vendors.source} (${formatNumber(e.vendors.extra)} added in the configuration)` },
      {
        label: 'Suppressions',
        value:
          e.suppressions.length === 0
            ? 'none'
            : e.suppressions.map((s) => `${s.ruleId} on ${s.resource} (owner ${s.owner}, expires ${s.expires})`).join('; '),
      },
      ...(e.owners
        ? [
            {
              label: 'Owners',
              value: `role tags ${list(e.owners.roleTagKeys, 'none')}; account tags ${list(e.owners.accountTagKeys, 'none')}; ${formatNumber(e.owners.configured)} configured; per-owner reports ${e.owners.reports ? 'on' : 'off'}; all-clear ${e.owners.allClear}`,
            },
          ]
        : []),
      { label: 'Output', value: `${e.output.formats.join(', ')}; PDF roles ${e.output.pdfRoles}; ${e.output.paper}${e.output.pdfAccessible ? '; tagged PDF' : ''}` },
      { label: 'Action catalogue', value: e.actionCatalogVersion ?? review.actionCatalogVersion ?? 'unknown' },
    ],
  };
}

/** What the review does not look at by design, so its silence on these is not read as a clean bill. */
export function notCovered(review: Review): string[] {
  const regions = review.scope.regions;
  return [
    'Service control policies (SCPs) and resource control policies (RCPs): a role shown as able to act may be stopped by them.',
    'Permission boundaries beyond the role’s own, and session policies passed at AssumeRole: effective permissions may be narrower than shown.',
    'Resource policies other than role trust policies (S3 buckets, KMS keys, queues, ...), except what IAM Access Analyzer reports.',
    'IAM users, their access keys and group memberships: only roles and who can assume them.',
    `Regions not in scope (${regions.length > 0 ? `only ${regions.join(', ')} were read` : 'no region was read'}): CloudTrail events and analyzers elsewhere are not seen.`,
    'History beyond the CloudTrail window: use before it is not seen, so "unused" means unused within the window.',
  ];
}

import type { AccountSnapshot, AnalyzerRecord } from '../../model/snapshot.js';
import type { AccountContext } from '../context.js';
import { REF } from './references.js';
import type { Rule, RuleHit } from './rule.js';

const EXTERNAL_ACCOUNT = 'ACCOUNT';
const EXTERNAL_ORG = 'ORGANIZATION';

function active(analyzer: AnalyzerRecord): boolean {
  return analyzer.status.toUpperCase() === 'ACTIVE';
}

/** Whether the collector could read analyzers there: a failed read says nothing about their absence. */
function analyzersRead(account: AccountSnapshot, region: string): boolean {
  return !account.coverage.some(
    (item) =>
      item.source === 'access-analyzer' &&
      (item.region === undefined || item.region === region) &&
      (item.status === 'failed' || item.status === 'skipped'),
  );
}

export const accessAnalyzerNotEnabled: Rule = {
  meta: {
    id: 'access-analyzer-not-enabled',
    title: 'No active IAM Access Analyzer for external access in a reviewed region',
    severity: 'medium',
    rationale:
      'Without an external-access analyzer, nobody is told when a trust or resource policy starts granting access outside the account or organization between reviews. An organization analyzer in the delegated administrator account covers every member.',
    remediation:
      'Create an organization analyzer in the delegated administrator account (or an account analyzer) in each region you use: aws accessanalyzer create-analyzer --type ORGANIZATION.',
    bestPractice: ['logging-and-monitoring'],
    references: [REF.analyzerFindings],
    action: 'Enable IAM Access Analyzer in every region',
  },
  evaluate(context) {
    const orgRegions = new Set(
      context.accounts.flatMap((a) => a.snapshot.accessAnalyzer.analyzers.filter((z) => z.type === EXTERNAL_ORG && active(z)).map((z) => z.region)),
    );
    const hits: RuleHit[] = [];
    for (const account of context.accounts) {
      for (const region of context.snapshot.scope.regions) {
        if (orgRegions.has(region) || !analyzersRead(account.snapshot, region)) continue;
        if (hasActive(account, region, EXTERNAL_ACCOUNT)) continue;
        hits.push({
          accountId: account.snapshot.accountId,
          resource: account.snapshot.accountId,
          subject: region,
          message: `Account ${account.snapshot.accountId} has no active external-access analyzer in ${region}, and no organization analyzer covers it.`,
          evidence: [
            { label: 'Account', value: `${account.snapshot.accountId}${account.snapshot.accountName ? ` (${account.snapshot.accountName})` : ''}` },
            { label: 'Region', value: region },
            { label: 'Analyzers found', value: describeAnalyzers(account.snapshot.accessAnalyzer.analyzers) },
          ],
        });
      }
    }
    return hits;
  },
};

function hasActive(account: AccountContext, region: string, type: string): boolean {
  return account.snapshot.accessAnalyzer.analyzers.some((z) => z.type === type && z.region === region && active(z));
}

export function describeAnalyzers(analyzers: readonly AnalyzerRecord[]): string {
  return analyzers.length > 0 ? analyzers.map((z) => `${z.name} (${z.type}, ${z.region}, ${z.status})`).join('; ') : 'none';
}

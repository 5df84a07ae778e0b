import type { AnalyzerRecord } from '../../model/snapshot.js';
import { describeAnalyzers } from './access-analyzer-not-enabled.js';
import { REF } from './references.js';
import type { Rule, RuleHit } from './rule.js';

function activeOfType(analyzers: readonly AnalyzerRecord[], type: string): boolean {
  return analyzers.some((z) => z.type === type && z.status.toUpperCase() === 'ACTIVE');
}

export const accessAnalyzerUnusedNotEnabled: Rule = {
  meta: {
    id: 'access-analyzer-unused-not-enabled',
    title: 'No IAM Access Analyzer unused-access analyzer',
    severity: 'info',
    rationale:
      'An unused-access analyzer tracks unused roles, keys and permissions continuously, at action level, between reviews. It is a paid feature, so its absence is informational.',
    remediation: 'Create an ORGANIZATION_UNUSED_ACCESS (or ACCOUNT_UNUSED_ACCESS) analyzer; one region suffices, since IAM is global.',
    bestPractice: ['least-privilege', 'periodic-review'],
    references: [REF.analyzerUnused],
    action: 'Consider an unused-access analyzer',
  },
  evaluate(context) {
    const all = context.accounts.flatMap((a) => a.snapshot.accessAnalyzer.analyzers);
    if (activeOfType(all, 'ORGANIZATION_UNUSED_ACCESS')) return [];
    const hits: RuleHit[] = [];
    for (const account of context.accounts) {
      const analyzers = account.snapshot.accessAnalyzer.analyzers;
      const unread = account.snapshot.coverage.some(
        (item) => item.source === 'access-analyzer' && (item.status === 'failed' || item.status === 'skipped'),
      );
      if (unread || activeOfType(analyzers, 'ACCOUNT_UNUSED_ACCESS')) continue;
      hits.push({
        accountId: account.snapshot.accountId,
        resource: account.snapshot.accountId,
        subject: 'unused-access',
        message: `Account ${account.snapshot.accountId} has no active unused-access analyzer, and no organization one covers it.`,
        evidence: [{ label: 'Analyzers found', value: describeAnalyzers(analyzers) }],
      });
    }
    return hits;
  },
};

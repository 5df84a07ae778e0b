import type { Evidence } from '../../model/review.js';
import type { AnalyzerFinding } from '../../model/snapshot.js';
import { REF } from './references.js';
import type { Rule } from './rule.js';

const UNUSED_TYPES: ReadonlySet<string> = new Set([
  'UnusedIAMRole',
  'UnusedPermission',
  'UnusedIAMUserAccessKey',
  'UnusedIAMUserPassword',
]);

export const accessAnalyzerUnusedAccess: Rule = {
  meta: {
    id: 'access-analyzer-unused-access',
    title: 'IAM Access Analyzer reports unused access',
    severity: 'low',
    rationale:
      'Unused roles, permissions, access keys and passwords are privileges that serve nobody and still work for whoever obtains them. Access Analyzer tracks use at action level for the services IAM records.',
    remediation:
      'Remove the unused role, key, password or permissions (Access Analyzer can generate a recommended policy for unused permissions), or archive the finding with a reason.',
    bestPractice: ['least-privilege', 'periodic-review'],
    references: [REF.analyzerUnused],
    action: 'Remove access Access Analyzer reports unused',
  },
  evaluate(context) {
    return context.accounts.flatMap((account) =>
      account.snapshot.accessAnalyzer.findings
        .filter((finding) => UNUSED_TYPES.has(finding.findingType) && finding.status === 'ACTIVE')
        .map((finding) => {
          const resource = finding.resource ?? finding.id;
          return {
            accountId: finding.resourceOwnerAccount || account.snapshot.accountId,
            resource,
            subject: finding.id,
            ...(finding.resourceType === 'AWS::IAM::Role' ? { roleArn: resource } : {}),
            message: `Access Analyzer reports ${describe(finding)} on ${resource}.`,
            evidence: evidenceOf(finding),
          };
        }),
    );
  },
};

function describe(finding: AnalyzerFinding): string {
  switch (finding.findingType) {
    case 'UnusedIAMRole':
      return 'an unused role';
    case 'UnusedPermission': {
      const services = finding.details.flatMap((d) => (d.kind === 'unusedPermission' ? [d.serviceNamespace] : []));
      return `unused permissions${services.length > 0 ? ` in ${services.join(', ')}` : ''}`;
    }
    case 'UnusedIAMUserAccessKey':
      return 'an unused access key';
    default:
      return 'an unused console password';
  }
}

function evidenceOf(finding: AnalyzerFinding): Evidence[] {
  const evidence: Evidence[] = [
    { label: 'Analyzer finding', value: `${finding.id} (${finding.findingType}, ${finding.region})` },
    { label: 'Analyzer', value: finding.analyzerArn },
  ];
  for (const detail of finding.details) {
    if (detail.kind === 'unusedIamRole') {
      evidence.push({ label: 'Last accessed', value: detail.lastAccessed ?? 'never' });
    } else if (detail.kind === 'unusedPermission') {
      const actions = detail.actions.map((a) => a.action);
      evidence.push({
        label: `Unused in ${detail.serviceNamespace}`,
        value: `${actions.slice(0, 10).join(', ')}${actions.length > 10 ? ` and ${actions.length - 10} more` : ''}${
          detail.lastAccessed ? `; service last accessed ${detail.lastAccessed}` : ''
        }`,
      });
    }
  }
  return evidence;
}

import type { AnalyzerFinding, AnalyzerFindingDetail } from '../../model/snapshot.js';
import { REF } from './references.js';
import type { Evidence, Severity } from '../../model/review.js';
import type { Rule } from './rule.js';

type ExternalDetail = Extract<AnalyzerFindingDetail, { kind: 'externalAccess' }>;

export const accessAnalyzerExternalAccess: Rule = {
  meta: {
    id: 'access-analyzer-external-access',
    title: 'IAM Access Analyzer reports active external access',
    severity: 'high',
    rationale:
      "Access Analyzer proves, by reasoning over the resource's policy, that a principal outside the zone of trust can reach it. Active findings have not been archived as intended, so each is either an accepted risk to record or access to remove. It also covers resources this review does not parse (buckets, keys, queues).",
    remediation:
      'Remove the access from the resource policy, or archive the finding in Access Analyzer (with an archive rule) when the access is intended, and record the reason here as a suppression.',
    bestPractice: ['logging-and-monitoring', 'least-privilege'],
    references: [REF.analyzerFindings],
    action: 'Resolve or archive active Access Analyzer external-access findings',
  },
  evaluate(context) {
    return context.accounts.flatMap((account) =>
      account.snapshot.accessAnalyzer.findings
        .filter((finding) => finding.findingType === 'ExternalAccess' && finding.status === 'ACTIVE')
        .map((finding) => {
          const details = finding.details.filter((d): d is ExternalDetail => d.kind === 'externalAccess');
          const isPublic = details.some((d) => d.isPublic);
          const severity: Severity | undefined = isPublic ? 'critical' : undefined;
          const resource = finding.resource ?? finding.id;
          return {
            accountId: finding.resourceOwnerAccount || account.snapshot.accountId,
            resource,
            subject: finding.id,
            ...(finding.resourceType === 'AWS::IAM::Role' ? { roleArn: resource } : {}),
            ...(severity ? { severity } : {}),
            message: `Access Analyzer finds ${isPublic ? 'public' : 'external'} access to ${finding.resourceType} ${resource}${
              details.length > 0 ? ` by ${details.map((d) => principalText(d.principal)).join('; ')}` : ''
            }.`,
            evidence: analyzerEvidence(finding, details),
          };
        }),
    );
  },
};

function principalText(principal: Record<string, string>): string {
  const entries = Object.entries(principal);
  return entries.length > 0 ? entries.map(([k, v]) => `${k}: ${v}`).join(', ') : 'unspecified principal';
}

function analyzerEvidence(finding: AnalyzerFinding, details: ExternalDetail[]): Evidence[] {
  const evidence: Evidence[] = [
    { label: 'Analyzer finding', value: `${finding.id} (${finding.region})` },
    { label: 'Analyzer', value: finding.analyzerArn },
    { label: 'Resource type', value: finding.resourceType },
  ];
  if (finding.createdAt) evidence.push({ label: 'First reported', value: finding.createdAt });
  for (const detail of details) {
    evidence.push({ label: 'Principal', value: principalText(detail.principal) });
    evidence.push({ label: 'Actions', value: detail.action.join(', ') || 'unspecified' });
    const conditions = Object.entries(detail.condition);
    evidence.push({ label: 'Conditions', value: conditions.length > 0 ? conditions.map(([k, v]) => `${k} = ${v}`).join('; ') : 'none' });
  }
  return evidence;
}

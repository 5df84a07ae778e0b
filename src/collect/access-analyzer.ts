import {
  paginateGetFindingV2,
  paginateListAnalyzers,
  paginateListFindings,
  paginateListFindingsV2,
  type AccessAnalyzerClient,
  type FindingDetails,
  type FindingSummary,
  type FindingSummaryV2,
} from '@aws-sdk/client-accessanalyzer';
import type { AnalyzerFinding, AnalyzerFindingDetail, AnalyzerRecord, CoverageItem } from '../model/snapshot.js';
import { mapBounded, through, type Gate } from './bounded.js';
import { describeError, failureFields } from './errors.js';

export interface AccessAnalyzerResult {
  analyzers: AnalyzerRecord[];
  findings: AnalyzerFinding[];
  coverage: CoverageItem;
}

const iso = (d: Date | undefined): string | undefined => d?.toISOString();

export function toFindingDetail(d: FindingDetails): AnalyzerFindingDetail {
  if (d.externalAccessDetails) {
    const e = d.externalAccessDetails;
    return {
      kind: 'externalAccess',
      principal: e.principal ?? {},
      action: e.action ?? [],
      condition: e.condition ?? {},
      isPublic: e.isPublic ?? false,
    };
  }
  if (d.unusedIamRoleDetails) {
    const last = iso(d.unusedIamRoleDetails.lastAccessed);
    return { kind: 'unusedIamRole', ...(last ? { lastAccessed: last } : {}) };
  }
  if (d.unusedPermissionDetails) {
    const u = d.unusedPermissionDetails;
    const last = iso(u.lastAccessed);
    return {
      kind: 'unusedPermission',
      serviceNamespace: u.serviceNamespace ?? '',
      actions: (u.actions ?? []).map((a) => {
        const at = iso(a.lastAccessed);
        return { action: a.action ?? '', ...(at ? { lastAccessed: at } : {}) };
      }),
      ...(last ? { lastAccessed: last } : {}),
    };
  }
  return { kind: 'other', raw: JSON.parse(JSON.stringify(d)) as unknown };
}

/** The fields both list APIs' summaries share, as the snapshot keeps them. */
function findingOf(
  s: Pick<FindingSummaryV2, 'id' | 'resource' | 'resourceType' | 'resourceOwnerAccount' | 'status' | 'createdAt' | 'updatedAt'>,
  findingType: string,
  analyzerArn: string,
  region: string,
  details: AnalyzerFinding['details'],
): AnalyzerFinding {
  const created = iso(s.createdAt);
  const updated = iso(s.updatedAt);
  return {
    id: s.id ?? '',
    analyzerArn,
    region,
    findingType,
    ...(s.resource ? { resource: s.resource } : {}),
    resourceType: s.resourceType ?? '',
    resourceOwnerAccount: s.resourceOwnerAccount ?? '',
    status: s.status ?? '',
    ...(created ? { createdAt: created } : {}),
    ...(updated ? { updatedAt: updated } : {}),
    details,
  };
}

function summaryToFinding(s: FindingSummaryV2, analyzerArn: string, region: string): AnalyzerFinding {
  return findingOf(s, s.findingType ?? 'ExternalAccess', analyzerArn, region, []);
}

const EXTERNAL_ACCESS_TYPES: ReadonlySet<string> = new Set(['ACCOUNT', 'ORGANIZATION']);

/** A ListFindings summary: external access, with the access it reports. */
function externalSummaryToFinding(s: FindingSummary, analyzerArn: string, region: string): AnalyzerFinding {
  const access = { principal: s.principal ?? {}, action: s.action ?? [], condition: s.condition ?? {}, isPublic: s.isPublic ?? false };
  return findingOf(s, 'ExternalAccess', analyzerArn, region, [toFindingDetail({ externalAccessDetails: access })]);
}

/**
 * Analyzers and their active findings on IAM roles in one region. No analyzer is a valid answer (the
 * analysis reports it as a finding); a denied call is a coverage gap, never a crash.
 */
export async function collectAccessAnalyzer(client: AccessAnalyzerClient, region: string, detailConcurrency = 4, gate?: Gate): Promise<AccessAnalyzerResult> {
  let apiCalls = 0;
  const analyzers: AnalyzerRecord[] = [];
  try {
    for await (const page of paginateListAnalyzers({ client }, {})) {
      apiCalls += 1;
      for (const a of page.analyzers ?? []) {
        analyzers.push({ arn: a.arn ?? '', name: a.name ?? '', type: a.type ?? '', status: a.status ?? '', region });
      }
    }
  } catch (e) {
    const d = describeError(e, 'access-analyzer:ListAnalyzers');
    return { analyzers, findings: [], coverage: { source: 'access-analyzer', region, status: 'failed', detail: d.detail, ...failureFields(d), apiCalls } };
  }

  const findings: AnalyzerFinding[] = [];
  const problems: string[] = [];
  const filter = { status: { eq: ['ACTIVE'] }, resourceType: { eq: ['AWS::IAM::Role'] } };
  for (const analyzer of analyzers.filter((a) => a.status === 'ACTIVE')) {
    // External access: the first ListFindings API carries the principal, actions, condition and isPublic in
    // each summary, so its pages are the whole answer (one call per 100 findings instead of one per finding).
    if (EXTERNAL_ACCESS_TYPES.has(analyzer.type)) {
      const listed: AnalyzerFinding[] = [];
      try {
        for await (const page of paginateListFindings({ client, pageSize: 100 }, { analyzerArn: analyzer.arn, filter })) {
          apiCalls += 1;
          for (const s of page.findings ?? []) listed.push(externalSummaryToFinding(s, analyzer.arn, region));
        }
        findings.push(...listed);
        continue;
      } catch {
        // Not allowed or not offered here: the second API below gives the same findings, a call each.
      }
    }
    try {
      const summaries: AnalyzerFinding[] = [];
      const pages = paginateListFindingsV2({ client, pageSize: 100 }, { analyzerArn: analyzer.arn, filter });
      for await (const page of pages) {
        apiCalls += 1;
        for (const s of page.findings ?? []) summaries.push(summaryToFinding(s, analyzer.arn, region));
      }
      // Unused-access findings name the services and actions only in their details, which the report shows.
      await mapBounded(summaries, detailConcurrency, (f) =>
        through(gate, async () => {
          for await (const page of paginateGetFindingV2({ client }, { analyzerArn: analyzer.arn, id: f.id })) {
            apiCalls += 1;
            f.details.push(...(page.findingDetails ?? []).map(toFindingDetail));
          }
        }),
      );
      findings.push(...summaries);
    } catch (e) {
      problems.push(describeError(e, `access-analyzer findings of ${analyzer.name}`).detail);
    }
  }
  const detail =
    problems.length > 0
      ? problems.join(' ')
      : analyzers.length === 0
        ? 'No IAM Access Analyzer in this region.'
        : `${analyzers.length} analyzer(s), ${findings.length} active finding(s) on roles.`;
  return {
    analyzers,
    findings,
    coverage: { source: 'access-analyzer', region, status: problems.length > 0 ? 'partial' : 'ok', detail, apiCalls },
  };
}

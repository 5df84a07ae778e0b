/**
 * Export to AWS Security Hub: every finding of the review imported as an ASFF finding through
 * BatchImportFindings (at most 100 a call, the API's limit), under an id that is the same in every run, so a
 * re-run updates the finding instead of adding a copy. Findings this product imported earlier for the same
 * scope that the review no longer has are resolved: re-imported with RecordState ARCHIVED, and their
 * workflow set to RESOLVED with BatchUpdateFindings (BatchImportFindings may not change the workflow of an
 * existing finding). Suppressed findings get the workflow SUPPRESSED the same way.
 *
 * BatchImportFindings with the default product ARN only accepts findings whose AwsAccountId is the caller's
 * account, so every finding is imported into the configured Security Hub account (the collector's, usually
 * the delegated administrator) and names the reviewed account in its resource ARN and ProductFields.
 */
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SeverityLabel,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { Finding, Review, Severity } from '../model/review.js';
import { describeResource } from '../model/finding-resource.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** BatchImportFindings and BatchUpdateFindings take at most 100 findings a request. */
export const BATCH_LIMIT = 100;

export interface SecurityHubTarget {
  region: string;
  /** The account the findings are imported into: the credentials' own account. */
  account: string;
  partition?: string;
}

export interface SecurityHubExport {
  imported: number;
  archived: number;
  /** One entry per finding Security Hub did not take, with its reason. */
  failures: { id: string; error: string }[];
}

const LABEL: Record<Severity, SeverityLabel> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFORMATIONAL' };
const FIELD = { scope: 'access-review/scope', rule: 'access-review/ruleId', account: 'access-review/accountId', run: 'access-review/runId' } as const;

export function productArn(t: SecurityHubTarget): string {
  return `arn:${t.partition ?? 'aws'}:securityhub:${t.region}:${t.account}:product/${t.account}/default`;
}

/** Stable across runs: the finding id is derived from rule, resource and subject, never from the run. */
export function securityHubId(scopeId: string, findingId: string): string {
  return `access-review/${scopeId}/${findingId}`;
}

const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export function toAsff(f: Finding, review: Review, scopeId: string, t: SecurityHubTarget): AwsSecurityFinding {
  const resource = describeResource(f.resource);
  const types = [`Software and Configuration Checks/AWS Security Best Practices/${f.ruleId}`];
  const severity = { Label: LABEL[f.severity], Original: f.severity };
  // ProductFields holds at most 50 pairs; the evidence gets what the fixed fields leave.
  const evidence = f.evidence.slice(0, 40).map((e, i) => [`access-review/evidence/${i + 1}/${cut(e.label, 60)}`, cut(e.value, 1900)] as const);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: securityHubId(scopeId, f.id),
    ProductArn: productArn(t),
    GeneratorId: `access-review/${f.ruleId}`,
    AwsAccountId: t.account,
    Types: types,
    CreatedAt: review.generatedAt,
    UpdatedAt: review.generatedAt,
    Severity: severity,
    Title: cut(f.title, 256),
    Description: cut(f.message, 1024),
    Remediation: { Recommendation: { Text: cut(f.remediation, 512) } },
    ProductFields: {
      [FIELD.scope]: scopeId,
      [FIELD.rule]: f.ruleId,
      [FIELD.account]: f.accountId,
      [FIELD.run]: review.runId,
      ...(f.subject ? { 'access-review/subject': cut(f.subject, 1900) } : {}),
      ...(f.grantId ? { 'access-review/grantId': f.grantId } : {}),
      ...Object.fromEntries(evidence),
    },
    Resources: [
      {
        Type: resource.asffType,
        Id: resource.uid,
        Partition: resource.partition as 'aws',
        Region: resource.region || t.region,
        Details: { Other: { accountId: f.accountId, ...(f.subject ? { subject: cut(f.subject, 1024) } : {}) } },
      },
    ],
    FindingProviderFields: { Severity: severity, Types: types },
    RecordState: 'ACTIVE',
  };
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH_LIMIT) out.push(items.slice(i, i + BATCH_LIMIT));
  return out;
}

async function importAll(client: SecurityHubClient, findings: AwsSecurityFinding[]): Promise<{ ok: Set<string>; failures: SecurityHubExport['failures'] }> {
  const ok = new Set<string>();
  const failures: SecurityHubExport['failures'] = [];
  for (const batch of batches(findings)) {
    try {
      const out = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
      const failed = new Map((out.FailedFindings ?? []).map((x) => [x.Id ?? '', `${x.ErrorCode ?? 'Failed'}: ${x.ErrorMessage ?? 'no reason given'}`]));
      for (const f of batch) {
        const error = failed.get(f.Id ?? '');
        if (error) failures.push({ id: f.Id ?? '', error });
        else ok.add(f.Id ?? '');
      }
    } catch (e) {
      // The whole request failed (denied, throttled past the retries): every finding in it is undelivered.
      for (const f of batch) failures.push({ id: f.Id ?? '', error: (e as Error).message });
    }
  }
  return { ok, failures };
}

async function setWorkflow(client: SecurityHubClient, ids: string[], arn: string, status: 'RESOLVED' | 'SUPPRESSED'): Promise<SecurityHubExport['failures']> {
  const failures: SecurityHubExport['failures'] = [];
  for (const batch of batches(ids)) {
    try {
      const out = await client.send(
        new BatchUpdateFindingsCommand({ FindingIdentifiers: batch.map((Id) => ({ Id, ProductArn: arn })), Workflow: { Status: status } }),
      );
      for (const u of out.UnprocessedFindings ?? []) {
        failures.push({ id: u.FindingIdentifier?.Id ?? '', error: `workflow ${status}: ${u.ErrorCode ?? 'Failed'}: ${u.ErrorMessage ?? 'no reason given'}` });
      }
    } catch (e) {
      for (const id of batch) failures.push({ id, error: `workflow ${status}: ${(e as Error).message}` });
    }
  }
  return failures;
}

/** The scope's findings this product left ACTIVE in Security Hub, from earlier runs or this one. */
async function activeFindings(client: SecurityHubClient, arn: string, scopeId: string): Promise<AwsSecurityFinding[]> {
  const out: AwsSecurityFinding[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new GetFindingsCommand({
        Filters: {
          ProductArn: [{ Value: arn, Comparison: 'EQUALS' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
          ProductFields: [{ Key: FIELD.scope, Value: scopeId, Comparison: 'EQUALS' }],
        },
        MaxResults: 100,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    out.push(...(page.Findings ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

/** The earlier finding as Security Hub holds it, marked archived; only fields a provider may send. */
function archivedCopy(f: AwsSecurityFinding, now: string): AwsSecurityFinding {
  return {
    SchemaVersion: f.SchemaVersion ?? ASFF_SCHEMA_VERSION,
    Id: f.Id,
    ProductArn: f.ProductArn,
    GeneratorId: f.GeneratorId,
    AwsAccountId: f.AwsAccountId,
    Types: f.Types ?? [],
    CreatedAt: f.CreatedAt,
    UpdatedAt: now,
    ...(f.Severity ? { Severity: f.Severity } : {}),
    Title: f.Title,
    Description: f.Description,
    ...(f.Remediation ? { Remediation: f.Remediation } : {}),
    ...(f.ProductFields ? { ProductFields: f.ProductFields } : {}),
    Resources: f.Resources,
    RecordState: 'ARCHIVED',
  };
}

export async function exportToSecurityHub(client: SecurityHubClient, review: Review, scopeId: string, t: SecurityHubTarget): Promise<SecurityHubExport> {
  const arn = productArn(t);
  // Read before importing, so "no longer found" compares against earlier runs only.
  const before = await activeFindings(client, arn, scopeId);
  const current = review.findings.map((f) => toAsff(f, review, scopeId, t));
  const currentIds = new Set(current.map((f) => f.Id));
  const imported = await importAll(client, current);

  const gone = before.filter((f) => f.Id && !currentIds.has(f.Id)).map((f) => archivedCopy(f, review.generatedAt));
  const archived = await importAll(client, gone);
  const resolved = await setWorkflow(client, [...archived.ok], arn, 'RESOLVED');

  const suppressedIds = review.findings.filter((f) => f.status === 'suppressed').map((f) => securityHubId(scopeId, f.id)).filter((id) => imported.ok.has(id));
  const suppressed = await setWorkflow(client, suppressedIds, arn, 'SUPPRESSED');
  return {
    imported: imported.ok.size,
    archived: archived.ok.size,
    failures: [...imported.failures, ...archived.failures, ...resolved, ...suppressed],
  };
}

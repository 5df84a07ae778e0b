import { paginateGetAccountAuthorizationDetails, type IAMClient, type RoleDetail, type ManagedPolicyDetail } from '@aws-sdk/client-iam';
import { policyNameFromArn, type ManagedPolicyRecord, type RoleRecord } from '../model/snapshot.js';
import { decodePolicyDocument } from './policy-document.js';

export interface IamInventory {
  roles: RoleRecord[];
  managedPolicies: ManagedPolicyRecord[];
  apiCalls: number;
}

const iso = (d: Date | undefined): string | undefined => (d ? d.toISOString() : undefined);

/** Some IAM-compatible services leave PolicyName out; the name is then the ARN's last path segment. */
function policyName(name: string | undefined, arn: string | undefined): string {
  return name || policyNameFromArn(arn ?? '');
}

export function toRoleRecord(r: RoleDetail): RoleRecord {
  const lastUsed = r.RoleLastUsed?.LastUsedDate
    ? { date: iso(r.RoleLastUsed.LastUsedDate), ...(r.RoleLastUsed.Region ? { region: r.RoleLastUsed.Region } : {}) }
    : undefined;
  return {
    arn: r.Arn ?? '',
    name: r.RoleName ?? '',
    roleId: r.RoleId ?? '',
    path: r.Path ?? '/',
    ...(r.CreateDate ? { createDate: iso(r.CreateDate) } : {}),
    trustPolicy: decodePolicyDocument(r.AssumeRolePolicyDocument),
    inlinePolicies: (r.RolePolicyList ?? []).map((p) => ({
      name: p.PolicyName ?? '',
      policy: decodePolicyDocument(p.PolicyDocument),
    })),
    attachedPolicies: (r.AttachedManagedPolicies ?? []).map((p) => ({ arn: p.PolicyArn ?? '', name: policyName(p.PolicyName, p.PolicyArn) })),
    ...(r.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundaryArn: r.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    tags: (r.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    ...(lastUsed ? { lastUsed } : {}),
  };
}

export function toManagedPolicyRecord(p: ManagedPolicyDetail): ManagedPolicyRecord {
  const current = (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? p.PolicyVersionList?.[0];
  return {
    arn: p.Arn ?? '',
    name: policyName(p.PolicyName, p.Arn),
    awsManaged: (p.Arn ?? '').startsWith('arn:aws:iam::aws:') || /^arn:aws[\w-]*:iam::aws:policy\//.test(p.Arn ?? ''),
    ...(p.DefaultVersionId ? { defaultVersionId: p.DefaultVersionId } : {}),
    policy: current
      ? decodePolicyDocument(current.Document)
      : { ok: false, raw: '', error: 'IAM returned no default policy version' },
  };
}

/**
 * The role inventory in a few paginated calls: GetAccountAuthorizationDetails carries trust policies,
 * inline and attached policies and RoleLastUsed, instead of a GetRole + List*Policies call per role.
 */
export async function collectIamInventory(iam: IAMClient, pageSize = 1000): Promise<IamInventory> {
  const roles: RoleRecord[] = [];
  const policies = new Map<string, ManagedPolicyRecord>();
  let apiCalls = 0;
  const pages = paginateGetAccountAuthorizationDetails(
    { client: iam, pageSize },
    { Filter: ['Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] },
  );
  for await (const page of pages) {
    apiCalls += 1;
    for (const r of page.RoleDetailList ?? []) roles.push(toRoleRecord(r));
    for (const p of page.Policies ?? []) {
      const rec = toManagedPolicyRecord(p);
      policies.set(rec.arn, rec);
    }
  }
  // Keep only the policies some role uses: the rest is noise for a role review and bloats the snapshot.
  const used = new Set(roles.flatMap((r) => [...r.attachedPolicies.map((a) => a.arn), ...(r.permissionsBoundaryArn ? [r.permissionsBoundaryArn] : [])]));
  const managedPolicies = [...policies.values()].filter((p) => used.has(p.arn)).sort((a, b) => a.arn.localeCompare(b.arn));
  roles.sort((a, b) => a.arn.localeCompare(b.arn));
  return { roles, managedPolicies, apiCalls };
}

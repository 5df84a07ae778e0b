/**
 * Loads a corpus of IAM roles into the emulator's organization, written as they would be in IAM: the
 * emulator's IAM then serves them like any other role, so a test can run the whole product against a set
 * of trust and permission policies with known verdicts. The corpus replaces the generated roles (the
 * audit role every account needs for collection stays) and their Access Analyzer findings.
 *
 * Account ids are not known when the corpus is written, so its strings may use placeholders:
 * {{self}} (the account the role lives in), {{management}}, {{member}} (the first member account) and
 * {{orgId}}. Anything else, such as an outside account id, is written literally.
 */
import { awsManagedPolicies, isAwsManagedArn } from './aws-managed-policies.js';
import { isoSeconds } from './cloudtrail-records.js';
import type { Json, SyntheticAccount, SyntheticManagedPolicy, SyntheticOrg, SyntheticRole } from './org-types.js';
import { policyTruth } from './policy-text.js';
import { stableIamId } from './prng.js';
import { trustGrants } from './trust-truth.js';

export type CorpusAccount = 'management' | 'member';

export interface CorpusRole {
  /** Where the role lives; the management account by default. */
  account?: CorpusAccount;
  name: string;
  path?: string;
  trust: Json;
  inline?: { name: string; document: Json }[];
  /** Policy ARNs: AWS managed ones the emulator knows, or customer managed ones defined in `policies`. */
  attached?: string[];
  boundary?: string;
}

export interface CorpusPolicy {
  account?: CorpusAccount;
  name: string;
  path?: string;
  document: Json;
}

export interface CorpusFile {
  roles: CorpusRole[];
  policies?: CorpusPolicy[];
}

export function loadCorpus(org: SyntheticOrg, corpus: CorpusFile): void {
  const management = org.accounts.find((a) => a.isManagement);
  const member = org.accounts.find((a) => !a.isManagement && a.status === 'ACTIVE');
  if (!management) throw new Error('corpus: the organization has no management account');
  const accountFor = (slot: CorpusAccount | undefined): SyntheticAccount => {
    if (slot === 'member') {
      if (!member) throw new Error('corpus: a role asks for the member account, but the organization has no active member');
      return member;
    }
    return management;
  };
  const fill = (value: Json, self: string): Json => substitute(value, { self, management: management.id, member: member?.id ?? '', orgId: org.organization.id });
  const now = new Date(Date.parse(org.now));

  // Generated roles give way to the corpus; the audit role stays, since collection assumes it.
  for (const account of org.accounts) {
    account.roles = account.roles.filter((role) => role.name === org.readOnlyRoleName);
    account.findings = [];
    account.managedPolicies = account.managedPolicies.filter((p) => account.roles.some((r) => r.attachedPolicyArns.includes(p.arn) || r.permissionsBoundaryArn === p.arn));
  }

  for (const def of corpus.policies ?? []) {
    const account = accountFor(def.account);
    const path = def.path ?? '/';
    const document = fill(def.document, account.id);
    const created = isoSeconds(new Date(now.getTime() - 30 * 86_400_000));
    const policy: SyntheticManagedPolicy = {
      arn: `arn:aws:iam::${account.id}:policy${path}${def.name}`,
      name: def.name,
      policyId: stableIamId(org.seed, 'ANPA', `${account.id}:${def.name}`),
      path,
      awsManaged: false,
      createDate: created,
      updateDate: created,
      defaultVersionId: 'v1',
      versions: [{ versionId: 'v1', isDefault: true, createDate: created, ...policyTruth(document, 'spaces2') }],
    };
    account.managedPolicies.push(policy);
  }

  const world = (account: SyntheticAccount) => ({ self: account.id, orgAccounts: new Set(org.accounts.map((a) => a.id)) });
  for (const def of corpus.roles) {
    const account = accountFor(def.account);
    const path = def.path ?? '/';
    const trust = fill(def.trust, account.id);
    const attached = (def.attached ?? []).map((arn) => fill(arn, account.id) as string);
    const role: SyntheticRole = {
      accountId: account.id,
      name: def.name,
      path,
      arn: `arn:aws:iam::${account.id}:role${path}${def.name}`,
      roleId: stableIamId(org.seed, 'AROA', `${account.id}:${def.name}`),
      createDate: isoSeconds(new Date(now.getTime() - 60 * 86_400_000)),
      maxSessionDuration: 3600,
      archetype: 'corpus',
      trustPolicy: policyTruth(trust, 'spaces2'),
      trustGrants: trustGrants(trust, world(account)),
      inlinePolicies: (def.inline ?? []).map((p) => ({ name: p.name, ...policyTruth(fill(p.document, account.id), 'spaces2') })),
      attachedPolicyArns: attached,
      tags: [],
      serviceLinked: path.startsWith('/aws-service-role/'),
      usage: 'never',
    };
    if (def.boundary) role.permissionsBoundaryArn = fill(def.boundary, account.id) as string;
    account.roles.push(role);
    for (const arn of [...attached, ...(role.permissionsBoundaryArn ? [role.permissionsBoundaryArn] : [])]) {
      if (account.managedPolicies.some((p) => p.arn === arn)) continue;
      if (!isAwsManagedArn(arn)) throw new Error(`corpus: role ${def.name} attaches ${arn}, which is neither an AWS managed policy the emulator knows nor one of the corpus policies`);
      const known = awsManagedPolicies().get(arn);
      if (!known) throw new Error(`corpus: role ${def.name} attaches ${arn}, an AWS managed policy the emulator does not know`);
      account.managedPolicies.push(known);
    }
  }
}

function substitute(value: Json, vars: Record<string, string>): Json {
  if (typeof value === 'string') return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, vars) as string, substitute(v, vars)]));
  return value;
}

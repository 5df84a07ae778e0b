/**
 * The synthetic organization's tree (a root, nested organizational units) and its account tags, derived
 * from account names alone so that adding them draws nothing from the generator's random streams: every
 * other part of the organization stays byte-identical for a seed.
 */
import { hash32 } from './prng.js';
import type { SyntheticOrgUnit, TagTruth } from './org-types.js';

interface OuDef {
  key: string;
  name: string;
  /** The parent OU's key; absent: directly under the root. */
  parent?: string;
}

const OUS: OuDef[] = [
  { key: 'workloads', name: 'Workloads' },
  { key: 'production', name: 'Production', parent: 'workloads' },
  { key: 'non-production', name: 'Non-production', parent: 'workloads' },
  { key: 'infrastructure', name: 'Infrastructure' },
  { key: 'security', name: 'Security' },
  { key: 'suspended', name: 'Suspended' },
];

/** Member account name (without any "-2" suffix) -> the OU it sits in. The management account stays at the root. */
const PLACEMENT: Record<string, string> = {
  'shared-services': 'infrastructure',
  networking: 'infrastructure',
  'prod-payments': 'production',
  'prod-web': 'production',
  'data-platform': 'workloads',
  'ml-research': 'workloads',
  staging: 'non-production',
  'sandbox-dev': 'non-production',
  'security-tooling': 'security',
  'log-archive': 'security',
  'closed-legacy-app': 'suspended',
};

/**
 * Owner tags on some accounts, each through a different key or route, and none on the management account
 * or prod-web (owned through its OU in the demo's configuration) so that "no tag" is shown too.
 */
const ACCOUNT_TAGS: Record<string, TagTruth[]> = {
  'shared-services': [
    { Key: 'owner', Value: 'platform' },
    { Key: 'cost-center', Value: 'cc-1001' },
  ],
  // Three tags: more than one ListTagsForResource page (the emulator pages tags two at a time).
  'prod-payments': [
    { Key: 'team', Value: 'Payments' },
    { Key: 'environment', Value: 'production' },
    { Key: 'data-classification', Value: 'pci' },
  ],
  'prod-web': [{ Key: 'environment', Value: 'production' }],
  'data-platform': [{ Key: 'cost-center', Value: 'analytics' }],
  'security-tooling': [{ Key: 'owner', Value: 'security-engineering' }],
  'log-archive': [{ Key: 'owner', Value: 'security-engineering' }],
};

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

function stableChars(key: string, n: number): string {
  let h = hash32(key);
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ID_CHARS[h % ID_CHARS.length];
    h = hash32(`${key}:${i}:${h}`);
  }
  return out;
}

export interface OrgStructure {
  root: { id: string; arn: string; name: string };
  organizationalUnits: SyntheticOrgUnit[];
  /** Account name -> parent id (a root or OU id). */
  parentOf(accountName: string, isManagement: boolean): string;
  tagsOf(accountName: string): TagTruth[];
}

function baseName(name: string): string {
  return name.replace(/-\d+$/, '');
}

export function orgStructure(orgId: string, managementAccountId: string): OrgStructure {
  const rootSuffix = stableChars(`${orgId}:root`, 4);
  const rootId = `r-${rootSuffix}`;
  const ouId = (key: string): string => `ou-${rootSuffix}-${stableChars(`${orgId}:ou:${key}`, 8)}`;
  const organizationalUnits = OUS.map((d) => {
    const id = ouId(d.key);
    return { id, name: d.name, arn: `arn:aws:organizations::${managementAccountId}:ou/${orgId}/${id}`, parentId: d.parent ? ouId(d.parent) : rootId };
  });
  return {
    root: { id: rootId, name: 'Root', arn: `arn:aws:organizations::${managementAccountId}:root/${orgId}/${rootId}` },
    organizationalUnits,
    parentOf(accountName, isManagement) {
      const key = isManagement ? undefined : PLACEMENT[baseName(accountName)];
      return key ? ouId(key) : rootId;
    },
    tagsOf(accountName) {
      return (ACCOUNT_TAGS[accountName] ?? []).map((t) => ({ ...t }));
    },
  };
}

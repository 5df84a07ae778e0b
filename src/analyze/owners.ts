/**
 * Who owns what, per role, first match wins: a role tag, an account tag (AWS Organizations), an owners entry
 * listing the account's OU or one above it (the nearest wins), an entry listing the account, an entry whose
 * accountTags all match. Every answer says where it came from, and an unassigned one says what was not
 * there to look at (tags not read, no tree), so "nobody owns this" is never a silent default.
 */
import type { CoverageItem, OrganizationInfo, Snapshot, Tag } from '../model/snapshot.js';
import type { OwnerEntry, OwnerRef, OwnersConfig, OwnerSummary, Ownership, OwnershipProblem } from '../model/ownership.js';
import { ownerId, UNASSIGNED_ID } from '../model/owner-id.js';

interface Entries {
  byId: Map<string, { entry: OwnerEntry; index: number }>;
  list: readonly OwnerEntry[];
}

function entriesOf(config: OwnersConfig): Entries {
  const byId = new Map<string, { entry: OwnerEntry; index: number }>();
  config.list.forEach((entry, index) => {
    const id = ownerId(entry.name);
    if (!byId.has(id)) byId.set(id, { entry, index });
  });
  return { byId, list: config.list };
}

/** A tag value as an owner: the matching entry's name when there is one, the value as written otherwise. */
function fromTagValue(value: string, entries: Entries, source: 'role-tag' | 'account-tag', detail: string): OwnerRef {
  const id = ownerId(value);
  const entry = entries.byId.get(id)?.entry;
  return { id, name: entry?.name ?? value.trim(), source, detail };
}

function fromEntry(entry: OwnerEntry, source: OwnerRef['source'], detail: string): OwnerRef {
  return { id: ownerId(entry.name), name: entry.name, source, detail };
}

function tagOwner(tags: readonly Tag[] | undefined, keys: readonly string[], entries: Entries, source: 'role-tag' | 'account-tag', what: string): OwnerRef | undefined {
  if (!tags) return undefined;
  for (const key of keys) {
    // Tag keys are case-sensitive in IAM and Organizations; "Owner" and "owner" are different tags.
    const tag = tags.find((t) => t.key === key && t.value.trim() !== '');
    if (tag) return fromTagValue(tag.value, entries, source, `${what} tag ${tag.key}=${tag.value}`);
  }
  return undefined;
}

interface OrgIndex {
  account: Map<string, OrganizationInfo['accounts'][number]>;
  /** OU or root id -> its parent id (roots have none). */
  parentOf: Map<string, string>;
  name: Map<string, string>;
  treeRead: boolean;
  tagsCoverage?: CoverageItem;
  treeCoverage?: CoverageItem;
}

function indexOrganization(org: OrganizationInfo | undefined): OrgIndex {
  const index: OrgIndex = { account: new Map(), parentOf: new Map(), name: new Map(), treeRead: false };
  if (!org) return index;
  for (const a of org.accounts) index.account.set(a.id, a);
  for (const r of org.roots ?? []) index.name.set(r.id, r.name);
  for (const ou of org.organizationalUnits ?? []) {
    index.parentOf.set(ou.id, ou.parentId);
    index.name.set(ou.id, ou.name);
  }
  index.treeRead = org.roots !== undefined;
  const tags = org.coverage?.find((c) => c.source === 'organizations-tags');
  const tree = org.coverage?.find((c) => c.source === 'organizations-tree');
  if (tags) index.tagsCoverage = tags;
  if (tree) index.treeCoverage = tree;
  return index;
}

/** The account's OU and every OU above it, nearest first (roots left out: an owner names OUs). */
function ancestry(parentId: string | undefined, org: OrgIndex): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let id = parentId; id !== undefined && id.startsWith('ou-') && !seen.has(id); id = org.parentOf.get(id)) {
    seen.add(id);
    chain.push(id);
  }
  return chain;
}

function ouLabel(id: string, org: OrgIndex): string {
  const name = org.name.get(id);
  return name ? `OU ${name} (${id})` : `OU ${id}`;
}

function accountOwner(accountId: string, tags: readonly Tag[] | undefined, config: OwnersConfig, entries: Entries, org: OrgIndex): OwnerRef | undefined {
  const byTag = tagOwner(tags, config.accountTagKeys, entries, 'account-tag', 'account');
  if (byTag) return byTag;
  const chain = ancestry(org.account.get(accountId)?.parentId, org);
  for (const [depth, ou] of chain.entries()) {
    const entry = entries.list.find((e) => e.organizationalUnits.includes(ou));
    if (entry) {
      const below = depth > 0 ? `, above ${ouLabel(chain[0] as string, org)}` : '';
      return fromEntry(entry, 'organizational-unit', `${ouLabel(ou, org)}${below}`);
    }
  }
  const listed = entries.list.find((e) => e.accounts.includes(accountId));
  if (listed) return fromEntry(listed, 'config-account', `account ${accountId} listed in owners config`);
  if (tags) {
    const matched = entries.list.find((e) => {
      const wanted = Object.entries(e.accountTags);
      return wanted.length > 0 && wanted.every(([k, v]) => tags.some((t) => t.key === k && t.value === v));
    });
    if (matched) return fromEntry(matched, 'config-account-tag', `owners config account tags ${Object.entries(matched.accountTags).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  }
  return undefined;
}

/**
 * An owner found after a source that could not be read (account tags, the OU tree) might not be the one that
 * source would have given: the detail says so rather than presenting a fallback as the answer.
 */
function withUnreadCaveat(owner: OwnerRef | undefined, hasOrganization: boolean, tagsRead: boolean, treeRead: boolean): OwnerRef | undefined {
  if (!owner || !hasOrganization) return owner;
  const unread: string[] = [];
  if (!tagsRead && owner.source !== 'account-tag') unread.push('account tags');
  if (!treeRead && (owner.source === 'config-account' || owner.source === 'config-account-tag')) unread.push('the OU tree');
  if (unread.length === 0) return owner;
  return { ...owner, detail: `${owner.detail ?? ''}; ${unread.join(' and ')} could not be read and might name another owner first` };
}

/** Why nothing matched, naming what could not be looked at: the reader must not take a gap for "nobody". */
function unassignedReason(config: OwnersConfig, org: OrgIndex, hasOrganization: boolean, tagsRead: boolean, scope: 'role' | 'account'): string {
  const keys = (list: readonly string[]): string => (list.length > 0 ? list.join(', ') : 'none configured');
  const parts = [
    scope === 'role' ? `no role tag (${keys(config.roleTagKeys)}) and no owner for its account` : `no account tag (${keys(config.accountTagKeys)}), OU, account or account-tag entry in owners`,
  ];
  if (!hasOrganization) parts.push('account tags and OUs were not read (the organization was not listed)');
  else {
    if (!tagsRead) parts.push(`account tags were not read${org.tagsCoverage?.errorCode ? ` (${org.tagsCoverage.errorCode})` : ''}`);
    if (!org.treeRead) parts.push(`the OU tree was not read${org.treeCoverage?.errorCode ? ` (${org.treeCoverage.errorCode})` : ''}`);
  }
  return parts.join('; ');
}

/** Owner of every reviewed role and account, and the owners config checked against the organization. */
export function resolveOwnership(snapshot: Snapshot, config: OwnersConfig): Ownership {
  const entries = entriesOf(config);
  const org = indexOrganization(snapshot.organization);
  const hasOrganization = snapshot.organization !== undefined;
  const accounts: Record<string, OwnerRef> = {};
  const roles: Record<string, OwnerRef> = {};
  const unassigned = { accountIds: [] as string[], roleArns: [] as string[] };
  const summaries = new Map<string, OwnerSummary>();
  const summary = (id: string, name: string): OwnerSummary => {
    let s = summaries.get(id);
    if (!s) {
      const entry = entries.byId.get(id)?.entry;
      s = { id, name: entry?.name ?? name, emails: entry ? [...entry.emails] : [], accountIds: [], roleArns: [], openFindings: 0 };
      summaries.set(id, s);
    }
    return s;
  };
  const accountSets = new Map<string, Set<string>>();
  const addAccount = (s: OwnerSummary, accountId: string): void => {
    const set = accountSets.get(s.id) ?? new Set<string>();
    accountSets.set(s.id, set);
    if (!set.has(accountId)) {
      set.add(accountId);
      s.accountIds.push(accountId);
    }
  };
  // Every configured owner is listed, also one left with nothing (the problems below say so).
  for (const entry of config.list) summary(ownerId(entry.name), entry.name);

  for (const account of [...snapshot.accounts].sort((a, b) => compare(a.accountId, b.accountId))) {
    const tags = org.account.get(account.accountId)?.tags;
    const owner = withUnreadCaveat(accountOwner(account.accountId, tags, config, entries, org), hasOrganization, tags !== undefined, org.treeRead);
    const accountRef: OwnerRef = owner ?? {
      id: UNASSIGNED_ID,
      name: 'Unassigned',
      source: 'unassigned',
      detail: unassignedReason(config, org, hasOrganization, tags !== undefined, 'account'),
    };
    accounts[account.accountId] = accountRef;
    if (owner) addAccount(summary(owner.id, owner.name), account.accountId);
    else unassigned.accountIds.push(account.accountId);

    for (const role of [...account.roles].sort((a, b) => compare(a.arn, b.arn))) {
      const byTag = tagOwner(role.tags, config.roleTagKeys, entries, 'role-tag', 'role');
      const ref: OwnerRef = byTag ?? (owner ? { ...accountRef } : { ...accountRef, detail: unassignedReason(config, org, hasOrganization, tags !== undefined, 'role') });
      roles[role.arn] = ref;
      if (ref.source === 'unassigned') {
        unassigned.roleArns.push(role.arn);
        continue;
      }
      const s = summary(ref.id, ref.name);
      s.roleArns.push(role.arn);
      addAccount(s, account.accountId);
    }
  }
  for (const s of summaries.values()) {
    s.accountIds.sort();
    s.roleArns.sort();
  }

  const ownership: Ownership = {
    owners: [...summaries.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    roles,
    accounts,
    unassigned,
  };
  const problems = checkAgainstOrganization(config, snapshot, org, summaries);
  if (problems.length > 0) ownership.problems = problems;
  return ownership;
}

/**
 * A finding's owner: its role's, else its account's. Findings about something that is neither (none today)
 * are unassigned and say so.
 */
export function ownerOfFinding(finding: { accountId: string; resource: string; grantId?: string }, ownership: Ownership): OwnerRef {
  const roleArn = ownership.roles[finding.resource] ? finding.resource : finding.grantId?.split('#')[0];
  const byRole = roleArn !== undefined ? ownership.roles[roleArn] : undefined;
  if (byRole) return byRole;
  return ownership.accounts[finding.accountId] ?? { id: UNASSIGNED_ID, name: 'Unassigned', source: 'unassigned', detail: `account ${finding.accountId} was not reviewed` };
}

/**
 * The owners of a group of findings, most findings first: a top action spanning several teams names each,
 * so no manager reads "fix this" without seeing it is partly theirs.
 */
export function ownersOf(findingIds: readonly string[], owners: ReadonlyMap<string, OwnerRef>): OwnerRef[] {
  const counts = new Map<string, { ref: OwnerRef; n: number }>();
  for (const id of findingIds) {
    const ref = owners.get(id);
    if (!ref) continue;
    const c = counts.get(ref.id);
    if (c) c.n += 1;
    // The group names the owner, not one role's evidence for it.
    else counts.set(ref.id, { ref: { id: ref.id, name: ref.name, source: ref.source }, n: 1 });
  }
  return [...counts.values()].sort((a, b) => b.n - a.n || a.ref.name.localeCompare(b.ref.name)).map((c) => c.ref);
}

/** What the owners config is checked against: the accounts there are, and the OUs when the tree was read. */
export interface KnownOrganization {
  /** "organization o-…" or "the reviewed account", for the messages. */
  name: string;
  accountIds: ReadonlySet<string>;
  /** Absent: the tree was not read (or there is no organization), so OU ids cannot be checked. */
  organizationalUnitIds?: ReadonlySet<string>;
  /** Why OU ids cannot be checked, when they cannot. */
  noTreeReason?: string;
}

/** Accounts and OUs the owners config names that the organization does not have, by config path. */
export function ownersConfigProblems(config: Pick<OwnersConfig, 'list'>, known: KnownOrganization): OwnershipProblem[] {
  const problems: OwnershipProblem[] = [];
  config.list.forEach((entry, i) => {
    entry.accounts.forEach((id, j) => {
      if (!known.accountIds.has(id)) problems.push({ path: `owners.list[${i}].accounts[${j}]`, message: `${entry.name}: account ${id} is not in ${known.name}.` });
    });
    entry.organizationalUnits.forEach((id, j) => {
      const path = `owners.list[${i}].organizationalUnits[${j}]`;
      if (!known.organizationalUnitIds) problems.push({ path, message: `${entry.name}: ${id} could not be checked: ${known.noTreeReason ?? 'the organization tree was not read'}.` });
      else if (!known.organizationalUnitIds.has(id)) problems.push({ path, message: `${entry.name}: ${id} is not an organizational unit of ${known.name}.` });
    });
  });
  return problems;
}

/**
 * Owners config naming what the organization does not have, and owners left with nothing: reported by
 * config path, the run goes on (the rest of the owners are still right).
 */
function checkAgainstOrganization(config: OwnersConfig, snapshot: Snapshot, org: OrgIndex, summaries: ReadonlyMap<string, OwnerSummary>): OwnershipProblem[] {
  const known: KnownOrganization = snapshot.organization
    ? { name: `organization ${snapshot.organization.id}`, accountIds: new Set(org.account.keys()), ...(org.treeRead ? { organizationalUnitIds: new Set(org.parentOf.keys()) } : {}) }
    : { name: 'the reviewed account', accountIds: new Set(snapshot.accounts.map((a) => a.accountId)), noTreeReason: 'OUs are read only in organization mode' };
  const problems = ownersConfigProblems(config, known);
  config.list.forEach((entry, i) => {
    const mine = summaries.get(ownerId(entry.name));
    if (mine && mine.roleArns.length === 0 && mine.accountIds.length === 0) {
      problems.push({ path: `owners.list[${i}]`, message: `${entry.name} owns nothing in this review: no tag names them and their accounts, OUs and account tags match no reviewed account.` });
    }
  });
  return problems;
}

/** Code-unit order: ids and ARNs are ASCII, and ICU collation costs a hundred times more per comparison. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

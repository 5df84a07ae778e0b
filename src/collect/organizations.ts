import {
  DescribeOrganizationCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
  paginateListTagsForResource,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { CoverageItem, OrganizationInfo, OrgRoot, OrgUnit, Tag } from '../model/snapshot.js';
import { mapBounded } from './bounded.js';
import { describeError, failureFields } from './errors.js';

/** The organization and its accounts; callable from the management account or a delegated administrator. */
export async function collectOrganization(client: OrganizationsClient): Promise<OrganizationInfo> {
  const org = await client.send(new DescribeOrganizationCommand({}));
  const accounts: OrganizationInfo['accounts'] = [];
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const a of page.Accounts ?? []) {
      accounts.push({ id: a.Id ?? '', name: a.Name ?? '', ...(a.Email ? { email: a.Email } : {}), status: a.State ?? a.Status ?? 'UNKNOWN' });
    }
  }
  accounts.sort((a, b) => a.id.localeCompare(b.id));
  return { id: org.Organization?.Id ?? '', managementAccountId: org.Organization?.MasterAccountId ?? '', accounts };
}

export interface OrganizationTree {
  roots: OrgRoot[];
  organizationalUnits: OrgUnit[];
  /** Account id -> the root or OU it sits in directly. */
  parents: Map<string, string>;
  apiCalls: number;
}

/**
 * The tree, walked from the roots: two calls per root or OU (its OUs, its accounts) rather than one
 * ListParents per account, because organizations have far fewer OUs than accounts.
 */
export async function collectOrganizationTree(client: OrganizationsClient): Promise<OrganizationTree> {
  let apiCalls = 0;
  const roots: OrgRoot[] = [];
  for await (const page of paginateListRoots({ client }, {})) {
    apiCalls += 1;
    for (const r of page.Roots ?? []) if (r.Id) roots.push({ id: r.Id, name: r.Name ?? r.Id });
  }
  const organizationalUnits: OrgUnit[] = [];
  const parents = new Map<string, string>();
  const queue = roots.map((r) => r.id);
  for (let parentId = queue.shift(); parentId !== undefined; parentId = queue.shift()) {
    for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId })) {
      apiCalls += 1;
      for (const ou of page.OrganizationalUnits ?? []) {
        if (!ou.Id) continue;
        organizationalUnits.push({ id: ou.Id, name: ou.Name ?? ou.Id, parentId });
        queue.push(ou.Id);
      }
    }
    for await (const page of paginateListAccountsForParent({ client }, { ParentId: parentId })) {
      apiCalls += 1;
      for (const a of page.Accounts ?? []) if (a.Id) parents.set(a.Id, parentId);
    }
  }
  organizationalUnits.sort((a, b) => a.id.localeCompare(b.id));
  return { roots, organizationalUnits, parents, apiCalls };
}

export async function collectAccountTags(client: OrganizationsClient, accountId: string): Promise<{ tags: Tag[]; apiCalls: number }> {
  const tags: Tag[] = [];
  let apiCalls = 0;
  for await (const page of paginateListTagsForResource({ client }, { ResourceId: accountId })) {
    apiCalls += 1;
    for (const t of page.Tags ?? []) if (t.Key !== undefined) tags.push({ key: t.Key, value: t.Value ?? '' });
  }
  return { tags, apiCalls };
}

/** Tag reads at once: Organizations throttles per account, and the SDK's adaptive retry does the rest. */
const TAG_CONCURRENCY = 4;

/**
 * The organization with its tree and each active account's tags, for ownership. Neither read is needed for
 * the review itself, so a failure is recorded in `coverage` and the organization is returned as listed.
 */
export async function withTreeAndTags(client: OrganizationsClient, organization: OrganizationInfo): Promise<OrganizationInfo> {
  const coverage: CoverageItem[] = [];
  const out: OrganizationInfo = { ...organization, accounts: organization.accounts.map((a) => ({ ...a })) };
  try {
    const tree = await collectOrganizationTree(client);
    out.roots = tree.roots;
    out.organizationalUnits = tree.organizationalUnits;
    for (const a of out.accounts) {
      const parentId = tree.parents.get(a.id);
      if (parentId) a.parentId = parentId;
    }
    coverage.push({ source: 'organizations-tree', status: 'ok', apiCalls: tree.apiCalls, detail: `${tree.organizationalUnits.length} organizational unit(s) under ${tree.roots.length} root(s).` });
  } catch (e) {
    const d = describeError(e, 'organizations:ListRoots/ListOrganizationalUnitsForParent/ListAccountsForParent');
    coverage.push({
      source: 'organizations-tree',
      status: 'failed',
      ...failureFields(d),
      detail: `The organization tree could not be read, so no account is owned through its organizational unit: ${d.detail}`,
    });
  }

  const active = out.accounts.filter((a) => a.status === 'ACTIVE');
  const failures: { accountId: string; code: string; detail: string; httpStatus?: number }[] = [];
  let apiCalls = 0;
  await mapBounded(active, TAG_CONCURRENCY, async (account) => {
    try {
      const read = await collectAccountTags(client, account.id);
      account.tags = read.tags;
      apiCalls += read.apiCalls;
    } catch (e) {
      const d = describeError(e, 'organizations:ListTagsForResource');
      failures.push({ accountId: account.id, code: d.code, detail: d.detail, ...(d.httpStatus !== undefined ? { httpStatus: d.httpStatus } : {}) });
    }
  });
  if (failures.length === 0) {
    coverage.push({ source: 'organizations-tags', status: 'ok', apiCalls, detail: `Tags read for ${active.length} active account(s).` });
  } else {
    failures.sort((a, b) => a.accountId.localeCompare(b.accountId));
    const first = failures[0] as (typeof failures)[number];
    const ids = failures.map((f) => f.accountId);
    const shown = ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', ');
    coverage.push({
      source: 'organizations-tags',
      status: failures.length === active.length ? 'failed' : 'partial',
      errorCode: first.code,
      ...(first.httpStatus !== undefined ? { httpStatus: first.httpStatus } : {}),
      apiCalls,
      detail: `Account tags could not be read for ${failures.length} of ${active.length} account(s) (${shown}), so no owner is taken from their tags: ${first.detail}`,
    });
  }
  out.coverage = coverage;
  return out;
}

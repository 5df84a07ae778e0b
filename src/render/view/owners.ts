/**
 * The Owners part of the organization-wide report: who owns what and why (source), their figures, what
 * nobody owns, and owners config the organization contradicts. Names come from tags: the templates escape.
 */
import type { OwnerRef, OwnerSource, Ownership } from '../../model/ownership.js';
import type { Review } from '../../model/review.js';
import type { AccountNamer } from './labels.js';
import { shortArn } from './labels.js';
import type { OwnersView } from './types.js';

export const OWNER_SOURCE_LABELS: Record<OwnerSource, string> = {
  'role-tag': 'role tag',
  'account-tag': 'account tag',
  'organizational-unit': 'organizational unit',
  'config-account': 'owners config (account)',
  'config-account-tag': 'owners config (account tags)',
  unassigned: 'unassigned',
};

/** "Payments (account tag team=payments)": the owner as a finding row or an action names it. */
export function ownerLabel(ref: OwnerRef): string {
  if (ref.source === 'unassigned') return 'Unassigned';
  return ref.name;
}

/** What matched; each detail names its source ("role tag team=web", "OU Production (ou-…)"). */
export function ownerWhy(ref: OwnerRef): string {
  return ref.detail ?? OWNER_SOURCE_LABELS[ref.source];
}

/** Role and account lists this long are cut in the report; review.json has them all. */
const LIST_LIMIT = 12;

function cut(list: readonly string[]): { shown: string[]; more: number } {
  return { shown: list.slice(0, LIST_LIMIT), more: Math.max(0, list.length - LIST_LIMIT) };
}

export function ownersView(review: Review, namer: AccountNamer): OwnersView | undefined {
  const ownership: Ownership | undefined = review.ownership;
  if (!ownership) return undefined;
  const sources = new Map<string, Set<OwnerSource>>();
  for (const ref of [...Object.values(ownership.roles), ...Object.values(ownership.accounts)]) {
    const set = sources.get(ref.id) ?? new Set<OwnerSource>();
    set.add(ref.source);
    sources.set(ref.id, set);
  }
  const sourcesOf = (id: string): string[] => [...(sources.get(id) ?? [])].map((s) => OWNER_SOURCE_LABELS[s]);
  const roleName = (arn: string): string => shortArn(arn, namer);
  const unassignedRoles = ownership.unassigned.roleArns.map((arn) => ({ role: roleName(arn), why: ownership.roles[arn]?.detail ?? '' }));
  const unassignedAccounts = ownership.unassigned.accountIds.map((id) => ({ account: namer.label(id), why: ownership.accounts[id]?.detail ?? '' }));
  return {
    owners: ownership.owners.map((o) => {
      const accounts = cut(o.accountIds.map((id) => namer.label(id)));
      return {
        name: o.name,
        id: o.id,
        emails: o.emails,
        sources: sourcesOf(o.id),
        accounts: accounts.shown,
        moreAccounts: accounts.more,
        roleCount: o.roleArns.length,
        openFindings: o.openFindings,
      };
    }),
    unassignedRoles: unassignedRoles.slice(0, LIST_LIMIT * 4),
    moreUnassignedRoles: Math.max(0, unassignedRoles.length - LIST_LIMIT * 4),
    unassignedRoleCount: unassignedRoles.length,
    unassignedAccounts,
    unassignedOpenFindings: review.findings.filter((f) => f.status !== 'suppressed' && f.owner?.source === 'unassigned').length,
    problems: (ownership.problems ?? []).map((p) => ({ path: p.path ?? '', message: p.message })),
  };
}

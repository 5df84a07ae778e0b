/**
 * Who owns what: the contract between owner resolution (analyze) and the per-owner reports (render, deliver).
 * Resolution is per role, first match wins, and every answer carries where it came from, because a manager
 * told "this is yours" must be able to see why.
 */

/** Where an owner was found, in the order resolution tries them. */
export type OwnerSource =
  /** A tag on the role (keys from `owners.roleTagKeys`). */
  | 'role-tag'
  /** A tag on the account in AWS Organizations (keys from `owners.accountTagKeys`). */
  | 'account-tag'
  /** An `owners` entry listing an organizational unit the account sits in (directly or below it). */
  | 'organizational-unit'
  /** An `owners` entry listing the account by id. */
  | 'config-account'
  /** An `owners` entry whose `accountTags` all match the account's tags. */
  | 'config-account-tag'
  /** Nothing matched: listed as unassigned, never dropped. */
  | 'unassigned';

/** One owner's identity as findings and actions name it. */
export interface OwnerRef {
  /** Stable, path-safe (lower-case letters, digits, '-'): used in archive keys `owners/<id>/…`. "unassigned" for none. */
  id: string;
  /** As a person reads it: the `owners` entry's name, or the tag value when no entry matches it. */
  name: string;
  source: OwnerSource;
  /** What matched, for the evidence: e.g. `role tag team=payments`, `OU Payments (ou-ab12-34cd5678)`. */
  detail?: string;
}

/** One owner and what they own in this review. */
export interface OwnerSummary {
  id: string;
  name: string;
  /** Addresses from the matching `owners` entry; empty when the owner is only known from a tag. */
  emails: string[];
  /** Accounts wholly or partly theirs (a role owned through a role tag puts its account here too). */
  accountIds: string[];
  /** Role ARNs theirs. */
  roleArns: string[];
  /** Open findings on their roles and accounts. */
  openFindings: number;
}

export interface Ownership {
  /** Sorted by name; "unassigned" is not an owner and is never in this list. */
  owners: OwnerSummary[];
  /** Role ARN -> its owner (every reviewed role has an entry; unassigned ones with source "unassigned"). */
  roles: Record<string, OwnerRef>;
  /** Account id -> the account's owner (from account tag, OU or config), or unassigned. */
  accounts: Record<string, OwnerRef>;
  /** What nobody owns: listed in the organization-wide report as such. */
  unassigned: { accountIds: string[]; roleArns: string[] };
  /**
   * Added by the resolution (owners-model): the owners config judged against the organization (an account
   * or OU it does not have, an owner left with nothing), by config path, shown in the report's Owners part.
   */
  problems?: OwnershipProblem[];
}

export interface OwnershipProblem {
  /** The config path, e.g. `owners.list[2].organizationalUnits[0]`. */
  path?: string;
  message: string;
}

/** The `owners` section of the configuration. */
export interface OwnersConfig {
  /** Role tag keys naming an owner, tried in order. */
  roleTagKeys: string[];
  /** Account tag keys (AWS Organizations) naming an owner, tried in order. */
  accountTagKeys: string[];
  /** Who the owners are: tag values are matched to `name` (case-insensitive) to find their email. */
  list: OwnerEntry[];
  /** Render and email one scoped report per owner from the same collection. */
  reports: boolean;
  /** An owner with nothing open: a short "all clear" email, or no email at all. */
  allClear: 'send' | 'skip';
}

export interface OwnerEntry {
  name: string;
  emails: string[];
  accounts: string[];
  /** ou-… ids; an account anywhere below one belongs to the owner. */
  organizationalUnits: string[];
  /** Every key/value here must match the account's tags. */
  accountTags: Record<string, string>;
}

export const OWNERS_DEFAULTS: OwnersConfig = {
  roleTagKeys: ['owner', 'team'],
  accountTagKeys: ['owner', 'team'],
  list: [],
  reports: true,
  allClear: 'send',
};

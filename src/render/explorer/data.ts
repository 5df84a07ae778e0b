/**
 * The rows the report's explorer filters, sorts and searches: findings, trust grants and roles, flattened
 * from the review. Pure. Every string is untrusted (role names, tags, policy values); the page script only
 * ever puts them into the document as text, and islandJson() keeps them from ending their script element.
 */
import type { Finding, PrincipalClass, Review, RoleReview, Severity, TrustGrant, UsageState } from '../../model/review.js';
import { showInvisible } from '../visible.js';
import { findingAnchor, isOpen, severityRank } from '../view/findings.js';
import { AccountNamer, anchorFor, shortArn } from '../view/labels.js';

/** Bumped when a row's shape changes, so a script and an island from different versions refuse each other. */
export const EXPLORER_DATA_VERSION = 1;

export interface ExplorerRole {
  /** Role name. */
  n: string;
  /** Index into accounts. */
  a: number;
  /** Fragment id of the role's card. */
  h: string;
  arn: string;
  /** The role's owner as the review resolved it (reviews before 1.2: the value of its "owner" tag, any case). */
  o?: string;
  /** Trusted principal classes. */
  c: PrincipalClass[];
  /** Trust grants. */
  g: number;
  /** Open findings, and the most severe of them. */
  f: number;
  s?: Severity;
  u: UsageState;
  /** Day last used, YYYY-MM-DD (IAM RoleLastUsed). */
  l?: string;
  r: number;
  /** Description and tags, for search and display. */
  d?: string;
  t?: string;
  /** Callers that matched no trust grant, for search only. */
  cl?: string;
}

export interface ExplorerGrant {
  /** Index into roles. */
  r: number;
  p: string;
  raw: string;
  c: PrincipalClass;
  k: string;
  /** Effective guards as "kind key", or empty when nothing narrows who gets in. */
  gd: string[];
  /** Condition values of the guards, for search only. */
  gv: string;
  /** Every caller CloudTrail saw through the grant (the static table shows the first few), for search only. */
  cl?: string;
  u: UsageState;
  /** Assumptions seen in the window, and the day of the last. */
  n: number;
  l?: string;
  /** Why the grant admits nobody (a Deny, an expired window), when it does not. */
  x?: string;
}

export interface ExplorerFinding {
  s: Severity;
  rule: string;
  t: string;
  m: string;
  st: Finding['status'];
  a: number;
  /** Index into roles, when the finding is about a role in this review. */
  r?: number;
  res: string;
  h: string;
  /** Principal class and usage of the trust grant the finding is about; usage of its role when it is about no grant. */
  c?: PrincipalClass;
  u?: UsageState;
  /** Who accepted the risk, for suppressed findings. */
  so?: string;
  /** The finding's owner (also for findings about an account rather than a role). */
  ow?: string;
  score: number;
}

export interface ExplorerData {
  v: number;
  accounts: string[];
  roles: ExplorerRole[];
  grants: ExplorerGrant[];
  findings: ExplorerFinding[];
}

const OWNER_TAG = /^owner$/i;

/** YYYY-MM-DD: sorts as text, and reads the same in every locale. */
function isoDay(iso: string | undefined): string {
  return iso === undefined ? '' : iso.slice(0, 10);
}

function grantUsage(g: TrustGrant): UsageState {
  return g.usage.state ?? (g.usage.used ? 'used' : 'unused');
}

function roleUsage(role: RoleReview): UsageState {
  if (role.usage.state !== undefined) return role.usage.state;
  return role.usage.lastUsed !== undefined || role.usage.assumeCount > 0 ? 'used' : 'unused';
}

export function buildExplorerData(review: Review): ExplorerData {
  const namer = new AccountNamer(review);
  const accounts: string[] = [];
  const accountIndex = new Map<string, number>();
  const accountOf = (id: string): number => {
    let i = accountIndex.get(id);
    if (i === undefined) {
      i = accounts.length;
      accounts.push(namer.label(id));
      accountIndex.set(id, i);
    }
    return i;
  };
  const findingsById = new Map(review.findings.map((f) => [f.id, f]));
  const roles: ExplorerRole[] = [];
  const roleIndex = new Map<string, number>();
  const grants: ExplorerGrant[] = [];
  const grantById = new Map<string, TrustGrant>();

  for (const account of review.accounts) {
    const a = accountOf(account.accountId);
    for (const role of account.roles) {
      const open = role.findingIds
        .map((id) => findingsById.get(id))
        .filter((f): f is Finding => f !== undefined && isOpen(f))
        .sort((x, y) => severityRank(x.severity) - severityRank(y.severity));
      const r = roles.length;
      const row: ExplorerRole = {
        n: role.name,
        a,
        h: anchorFor(role.arn),
        arn: role.arn,
        c: [...new Set(role.trustGrants.map((g) => g.principal.class))],
        g: role.trustGrants.length,
        f: open.length,
        u: roleUsage(role),
        r: role.riskScore,
      };
      const resolved = review.ownership?.roles[role.arn];
      const owner = resolved ? (resolved.source === 'unassigned' ? 'Unassigned' : resolved.name) : role.tags.find((t) => OWNER_TAG.test(t.key))?.value;
      if (owner !== undefined && owner !== '') row.o = owner;
      const top = open[0];
      if (top !== undefined) row.s = top.severity;
      const lastUsed = isoDay(role.usage.lastUsed);
      if (lastUsed !== '') row.l = lastUsed;
      if (role.description !== undefined && role.description !== '') row.d = role.description;
      const unexpected = role.usage.callers.filter((c) => c.grantId === undefined).map((c) => c.id);
      if (unexpected.length > 0) row.cl = unexpected.join(' ');
      if (role.tags.length > 0) row.t = role.tags.map((t) => (t.value === '' ? t.key : `${t.key}=${t.value}`)).join(' ');
      roles.push(row);
      roleIndex.set(role.arn, r);
      for (const g of role.trustGrants) {
        grantById.set(g.id, g);
        const effective = g.guards.filter((x) => x.effective);
        const grant: ExplorerGrant = {
          r,
          p: g.principal.label,
          raw: g.principal.raw,
          c: g.principal.class,
          k: g.principal.kind,
          gd: effective.map((x) => `${x.kind} ${x.key}`),
          gv: g.guards.flatMap((x) => x.values).join(' '),
          u: grantUsage(g),
          n: g.usage.count,
        };
        const last = isoDay(g.usage.lastSeen);
        if (last !== '') grant.l = last;
        if (g.negatedBy !== undefined) grant.x = g.negatedBy;
        if (g.usage.callers.length > 0) grant.cl = g.usage.callers.join(' ');
        grants.push(grant);
      }
    }
  }

  const findings = review.findings.map((f): ExplorerFinding => {
    const row: ExplorerFinding = {
      s: f.severity,
      rule: f.ruleId,
      t: f.title,
      m: f.message,
      st: f.status,
      a: accountOf(f.accountId),
      res: shortArn(f.resource, namer),
      h: findingAnchor(f.id),
      score: f.score,
    };
    const r = roleIndex.get(f.resource);
    if (r !== undefined) row.r = r;
    const grant = f.grantId === undefined ? undefined : grantById.get(f.grantId);
    if (grant !== undefined) {
      row.c = grant.principal.class;
      row.u = grantUsage(grant);
    } else if (r !== undefined) {
      // A finding about the role as a whole (unused role, Access Analyzer): the role's own usage.
      row.u = roles[r]!.u;
    }
    if (f.suppression !== undefined) row.so = f.suppression.owner;
    if (f.owner !== undefined) row.ow = f.owner.source === 'unassigned' ? 'Unassigned' : f.owner.name;
    return row;
  });

  return { v: EXPLORER_DATA_VERSION, accounts, roles, grants, findings };
}

/**
 * The data as the text of a <script type="application/json"> element. Only printable ASCII comes out:
 * "<", ">" and "&" as \u escapes, so no "</script" or "<!--" can end or bend the element; every other
 * non-ASCII character escaped too, so the report's invisible-character pass (visible.ts) finds nothing to
 * change here. Strings first get the same visible escapes as the rest of the report, so a bidi override
 * in a role name reads "\u202E" in the explorer as it does in the static tables.
 */
export function islandJson(data: ExplorerData): string {
  const json = JSON.stringify(data, (_key, value: unknown) => (typeof value === 'string' ? showInvisible(value) : value));
  return json.replace(/[<>&\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Deny and NotPrincipal statements in a trust policy, applied to the Allow grants: an unconditional Deny
 * that covers a grant's principal and actions takes the grant away; a conditional Deny becomes a guard on
 * the grant ("Deny unless PrincipalOrgID is o-abc" is an org restriction); a Deny with NotPrincipal narrows
 * a broad grant to the principals it spares.
 */
import type { ClassifiedPrincipal, Guard, TrustGrant } from '../../model/review.js';
import type { PolicyStatement, PrincipalEntry } from '../policy/document.js';
import { statementCoversAction } from '../policy/actions.js';
import { conditionTest, evaluateTest, negateForDeny, type ConditionTest } from '../policy/conditions.js';
import { knownFor, referencedKeys } from './known.js';
import { isAccountId, parseArn } from '../policy/arn.js';
import { guardFromTest, guardKindOf, partyOfAccounts, type GuardContext } from './guards.js';
import { withCondition } from './guard-condition.js';

export function statementLabel(statement: Pick<PolicyStatement, 'index' | 'sid'>): string {
  return `statement ${statement.index + 1}${statement.sid ? ` ("${statement.sid}")` : ''}`;
}

export interface DenyContext extends GuardContext {
  accountId: string;
  now?: Date;
}

export function applyDenies(grants: TrustGrant[], statements: readonly PolicyStatement[], context: DenyContext): void {
  for (const deny of statements) {
    if (deny.effect !== 'Deny') continue;
    for (const grant of grants) {
      if (grant.negatedBy) continue;
      applyDeny(grant, deny, context);
    }
  }
}

function applyDeny(grant: TrustGrant, deny: PolicyStatement, context: DenyContext): void {
  const actions = grant.assumeActions ?? [];
  const covered = actions.filter((action) => statementCoversAction(deny, action));
  if (covered.length === 0) return;
  const scope = denyScope(deny, grant.principal);
  if (scope.kind === 'none') return;

  const label = `${statementLabel(deny)} (Deny)`;
  const tests: ConditionTest[] = [];
  const all = deny.conditions.map((entry) => conditionTest(entry));
  const known = knownFor(grant.principal, context, referencedKeys(all));
  for (const test of all) {
    const outcome = evaluateTest(test, known.get(test.keyLower), known);
    if (outcome === 'false') return; // the Deny can never apply to this principal
    if (outcome === 'unknown') tests.push(test);
  }

  if (scope.kind === 'except') {
    if (tests.length > 0) return; // a conditional NotPrincipal Deny: too entangled to read as one guard
    const guard: Guard = {
      kind: 'principal-arn',
      operator: 'NotPrincipal',
      key: 'NotPrincipal',
      values: scope.spared,
      effective: true,
      note: `Enforced by ${label}, which denies every principal but these.`,
    };
    // The spared principals are who is left: inside the organization, or an outside party.
    const party = partyOfAccounts(scope.spared.map((v) => (isAccountId(v) ? v : parseArn(v)?.account)), context);
    if (party) guard.party = party;
    grant.guards.push(withCondition(guard, { kind: 'undecided' }));
    return;
  }

  if (tests.length === 0) {
    if (covered.length === actions.length) {
      grant.negatedBy = label;
    } else {
      grant.assumeActions = actions.filter((action) => !covered.includes(action));
    }
    return;
  }

  const origin = { statementIndex: deny.index, label };
  if (tests.length === 1 && tests[0]) {
    const derived = negateForDeny(tests[0], origin);
    grant.guards.push(derived ? guardFromTest(derived, context) : opaqueGuard(tests[0], label, tests[0].set ? 'uses a set operator' : `uses ${tests[0].operator}, an operator the analysis cannot turn around`));
    return;
  }
  for (const test of tests) {
    grant.guards.push(opaqueGuard(test, label, `applies only when all ${tests.length} of its conditions hold`));
  }
}

/**
 * A guard kept from a conditional Deny that cannot be read as one condition: it narrows nothing on its
 * own, but whether the Deny applies to a request stays undecided.
 */
function opaqueGuard(test: ConditionTest, label: string, why: string): Guard {
  const guard: Guard = {
    kind: guardKindOf(test.keyLower),
    operator: test.operator,
    key: test.key,
    values: test.writtenValues,
    effective: false,
    note: `From ${label}, which ${why}: failing this condition alone is not denied.`,
  };
  return withCondition(guard, { kind: 'opaque-deny' });
}

type DenyScope = { kind: 'all' } | { kind: 'none' } | { kind: 'except'; spared: string[] };

function denyScope(deny: PolicyStatement, principal: ClassifiedPrincipal): DenyScope {
  if (deny.principals) {
    return deny.principals.some((entry) => entryCovers(entry, principal)) ? { kind: 'all' } : { kind: 'none' };
  }
  const spared = deny.notPrincipals ?? [];
  if (spared.some((entry) => sameIdentity(entry, principal))) return { kind: 'none' };
  // The Deny hits everyone but the spared; for a broad grant that leaves only the spared inside its scope.
  const inside = spared.filter((entry) => entry.type === 'AWS' && withinGrant(entry.value, principal));
  return inside.length > 0 ? { kind: 'except', spared: inside.map((e) => e.value) } : { kind: 'all' };
}

function entryCovers(entry: PrincipalEntry, principal: ClassifiedPrincipal): boolean {
  if (entry.type === '*') return true;
  if (entry.type === 'AWS' && entry.value === '*') return principal.type === 'AWS' || principal.type === '*';
  if (sameIdentity(entry, principal)) return true;
  const account = entry.type === 'AWS' ? accountRootOf(entry.value) : undefined;
  return account !== undefined && principal.type === 'AWS' && principal.accountId === account;
}

function withinGrant(value: string, principal: ClassifiedPrincipal): boolean {
  if (principal.kind === 'wildcard') return true;
  if (principal.kind !== 'account') return false;
  const arn = parseArn(value);
  const account = isAccountId(value) ? value : arn?.account;
  return account === principal.accountId;
}

function sameIdentity(entry: PrincipalEntry, principal: ClassifiedPrincipal): boolean {
  if (entry.type === '*' || principal.type === '*') return false;
  if (entry.type !== principal.type) return false;
  if (entry.type === 'AWS') {
    const a = accountRootOf(entry.value);
    const b = accountRootOf(principal.raw);
    if (a !== undefined || b !== undefined) return a === b;
    return entry.value === principal.raw;
  }
  return entry.value.toLowerCase() === principal.raw.toLowerCase();
}

/** "111122223333" and "arn:aws:iam::111122223333:root" both name the account as a whole. */
function accountRootOf(value: string): string | undefined {
  if (isAccountId(value)) return value;
  const arn = parseArn(value);
  return arn && arn.service === 'iam' && arn.resource === 'root' && isAccountId(arn.account) ? arn.account : undefined;
}

/**
 * Turns a role's trust policy into trust grants: one per Allow statement and principal that may call an
 * assume action, classified, with its guards, after Deny and NotPrincipal statements have had their say.
 */
import type { ClassifiedPrincipal, TrustGrant } from '../../model/review.js';
import type { RoleRecord } from '../../model/snapshot.js';
import {
  ASSUME_ROLE,
  ASSUME_ROLE_WITH_SAML,
  ASSUME_ROLE_WITH_WEB_IDENTITY,
  assumeActionsCovered,
} from '../policy/actions.js';
import { conditionTest, evaluateTest, missingVariables, type ConditionTest, type KnownKeys } from '../policy/conditions.js';
import { absenceReason, knownFor, referencedKeys } from './known.js';
import { parsePolicyDocument, type PolicyStatement } from '../policy/document.js';
import { applyDenies, statementLabel } from './denies.js';
import { guardFromTest, type GuardContext } from './guards.js';
import { classifyPrincipal, type ClassifyContext } from './principals.js';
import type { VendorIndex } from '../vendors.js';

export interface TrustContext extends ClassifyContext, GuardContext {
  accountId: string;
  orgAccountIds: ReadonlySet<string>;
  vendors: VendorIndex;
  /** The review's instant: conditions on aws:CurrentTime, aws:EpochTime and aws:TokenIssueTime are decided against it. */
  now?: Date;
}

export interface TrustAnalysis {
  grants: TrustGrant[];
  /** Set when the trust policy could not be read; the grants are then empty. */
  error?: string;
}

export function analyzeTrustPolicy(role: RoleRecord, context: TrustContext): TrustAnalysis {
  if (!role.trustPolicy.ok) {
    return { grants: [], error: `The trust policy could not be decoded: ${role.trustPolicy.error}` };
  }
  const parsed = parsePolicyDocument(role.trustPolicy.document, { requirePrincipal: true });
  if (!parsed.ok) return { grants: [], error: `The trust policy is malformed: ${parsed.error}` };

  const grants: TrustGrant[] = [];
  for (const statement of parsed.statements) {
    if (statement.effect === 'Allow') grants.push(...grantsOf(statement, role, context));
  }
  applyDenies(grants, parsed.statements, context);
  grants.sort((a, b) => a.statementIndex - b.statementIndex || compare(a.principal.raw, b.principal.raw));
  return { grants };
}

function grantsOf(statement: PolicyStatement, role: RoleRecord, context: TrustContext): TrustGrant[] {
  const covered = assumeActionsCovered(statement);
  if (covered.length === 0) return []; // e.g. a statement with only sts:TagSession lets nobody in
  const principals = statement.principals
    ? statement.principals.map((entry) => classifyPrincipal(entry, context))
    : [everyoneExcept(statement)];
  const grants: TrustGrant[] = [];
  for (const principal of principals) {
    const assumeActions = applicableActions(principal, covered);
    if (assumeActions.length === 0) continue;
    const tests = statement.conditions.map((entry) => conditionTest(entry));
    const known = knownFor(principal, context, referencedKeys(tests));
    const outcomes = tests.map((test) => evaluateTest(test, known.get(test.keyLower), known));
    const grant: TrustGrant = {
      id: `${role.arn}#${statement.index}#${principal.raw}`,
      roleArn: role.arn,
      accountId: context.accountId,
      statementIndex: statement.index,
      actions: statement.actions ?? (statement.notActions ?? []).map((a) => `NotAction ${a}`),
      principal,
      guards: tests.map((test, i) => {
        const outcome = outcomes[i] ?? 'unknown';
        const deadBecause = outcome === 'false' ? absentBecause(test, principal, known) : undefined;
        return guardFromTest(test, context, { outcome, principal, ...(deadBecause ? { deadBecause } : {}) });
      }),
      conditions: statement.conditionBlock,
      usage: { used: false, count: 0, callers: [] },
      assumeActions,
    };
    if (statement.sid) grant.sid = statement.sid;
    const never = tests.find((_, i) => outcomes[i] === 'false');
    // A condition that cannot hold for this caller at review time (an expired aws:CurrentTime window, a
    // foreign aws:ResourceAccount) takes the grant away as surely as a Deny.
    if (never) {
      grant.negatedBy = `its own condition ${never.key} ${never.operator} ${never.writtenValues.map((v) => JSON.stringify(v)).join(', ')}, which cannot hold at review time`;
      const guard = grant.guards[tests.indexOf(never)];
      grant.dead = guard?.note ?? `${never.key} ${never.operator} cannot hold for ${principal.label}.`;
    }
    grants.push(grant);
  }
  return grants;
}

/** Why a test that cannot hold fails for want of a key the caller never carries, in words; undefined otherwise. */
function absentBecause(test: ConditionTest, principal: ClassifiedPrincipal, known: KnownKeys): string | undefined {
  const written = `${test.key} ${test.operator} ${test.writtenValues.map((v) => JSON.stringify(v)).join(', ')}`;
  const missing = missingVariables(test, known);
  const value = known.get(test.keyLower);
  if (value?.kind === 'shape' && missing.length === 0) return `${principal.label} calls with ${test.key} of the form ${value.form}, so ${written} never holds`;
  const keyReason = value?.kind === 'absent' ? absenceReason(test.keyLower, principal) : undefined;
  if (keyReason && missing.length === 0) return `${keyReason}, so ${written} never holds`;
  const variable = missing.map((key) => ({ key, reason: absenceReason(key, principal) })).find((m) => m.reason !== undefined);
  if (variable?.reason) return `${variable.reason}: the policy variable \${${variable.key}} has no value, and a value built on it matches nothing, so ${written} never holds`;
  return undefined;
}

/** Allow with NotPrincipal admits every principal in the world but the listed ones. */
function everyoneExcept(statement: PolicyStatement): ClassifiedPrincipal {
  const listed = (statement.notPrincipals ?? []).map((entry) => entry.value);
  return {
    raw: `NotPrincipal: ${listed.join(', ')}`,
    type: '*',
    kind: 'wildcard',
    class: 'public',
    label: `Anyone except ${listed.join(', ')} (Allow with NotPrincipal in ${statementLabel(statement)})`,
  };
}

/** STS accepts each assume action only from matching principals: a SAML provider cannot call AssumeRole. */
function applicableActions(principal: ClassifiedPrincipal, covered: string[]): string[] {
  // A principal IAM would reject has no action it matches; keep the grant so the report names it.
  if (principal.kind === 'wildcard' || principal.kind === 'invalid' || principal.kind === 'canonical-user') return covered;
  if (principal.class === 'federated-oidc') return covered.filter((a) => a === ASSUME_ROLE_WITH_WEB_IDENTITY);
  if (principal.class === 'federated-saml') return covered.filter((a) => a === ASSUME_ROLE_WITH_SAML);
  if (principal.type === 'Federated') return covered.filter((a) => a !== ASSUME_ROLE);
  return covered.filter((a) => a === ASSUME_ROLE);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

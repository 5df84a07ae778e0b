/**
 * The trust engine asks each guard for the condition the trust analysis judged (guard-condition.ts), not
 * its note: rewording, swapping or dropping every guard's note changes no hop of the reach graph, a guard
 * derived from a Deny is judged per caller as the negation of the Deny's condition, and a Deny too
 * entangled to read as one guard leaves every caller undecided.
 */
import { describe, expect, it } from 'vitest';
import type { PermissionsEngine, PolicyInput } from '../../src/analyze/engine.js';
import { canAssume, createPermissionEvaluator, isActionAllowed, summarizePermissions } from '../../src/analyze/permissions/index.js';
import { trustConditionFor } from '../../src/analyze/policy/assume.js';
import { buildReach, type ReachNode } from '../../src/analyze/reach.js';
import { conditionOf } from '../../src/analyze/trust/guard-condition.js';
import { analyzeTrustPolicy } from '../../src/analyze/trust/grants.js';
import { vendorIndex } from '../../src/analyze/vendors.js';
import type { TrustGrant } from '../../src/model/review.js';
import { ACCOUNT, NOW, ORG_ACCOUNT, ORG_ID, allow, deny, policy, role, roleArn, type Statement } from './builders.js';
import { fixtureCatalog } from './permissions/fixture-catalog.js';
import { inline } from './permissions/policies.js';

const engine: PermissionsEngine = { summarizePermissions, isActionAllowed, canAssume, createPermissionEvaluator };
const ASSUME_ANY = inline('assume', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
const ADMIN_POLICY = inline('admin', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const ROOT = { AWS: `arn:aws:iam::${ACCOUNT}:root` };
const LAMBDA = allow({ Service: 'lambda.amazonaws.com' });
const DEV = roleArn('dev');
const OPS = roleArn('ops');

function grantsOf(name: string, trust: Statement[]): TrustGrant[] {
  const record = role(name, policy(...trust), { arn: roleArn(name) });
  return analyzeTrustPolicy(record, { accountId: ACCOUNT, organizationId: ORG_ID, orgAccountIds: new Set([ACCOUNT, ORG_ACCOUNT]), vendors: vendorIndex([]), now: NOW }).grants;
}

function only(trust: Statement[]): TrustGrant {
  const [grant] = grantsOf('admin', trust);
  if (!grant) throw new Error('no grant');
  return grant;
}

/** Admin roles, one per kind of guard: an Allow's own condition, Deny-derived ones, opaque Deny ones. */
const TARGETS: Record<string, Statement[]> = {
  'allow-pin': [allow(ROOT, { Condition: { ArnEquals: { 'aws:PrincipalArn': OPS } } })],
  'allow-external-id': [allow(ROOT, { Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } } })],
  'allow-org': [allow(ROOT, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } })],
  // Read as written (the Deny's own operator), each of these says the opposite of what IAM enforces.
  'deny-but-ops': [allow(ROOT), deny('*', { Condition: { ArnNotEquals: { 'aws:PrincipalArn': OPS } } })],
  'deny-but-o-roles': [allow(ROOT), deny('*', { Condition: { ArnNotLike: { 'aws:PrincipalArn': roleArn('o*') } } })],
  'deny-outside-org': [allow(ROOT), deny('*', { Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG_ID } } })],
  'deny-without-mfa': [allow(ROOT), deny('*', { Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })],
  'deny-two-conditions': [allow(ROOT), deny('*', { Condition: { ArnNotEquals: { 'aws:PrincipalArn': OPS }, StringNotEquals: { 'sts:ExternalId': 'x-1' } } })],
  'deny-set-operator': [allow(ROOT), deny('*', { Condition: { 'ForAnyValue:StringNotEquals': { 'aws:PrincipalTag/team': ['ops'] } } })],
  // Not judged per caller: a NotPrincipal guard is undecided for every caller it is asked about.
  'deny-not-principal': [allow(ROOT), { Effect: 'Deny', NotPrincipal: { AWS: OPS }, Action: 'sts:AssumeRole' }],
};

function nodes(): ReachNode[] {
  // dev and ops trust only a service, so neither reaches an admin role through the other.
  const callers = ['dev', 'ops'].map((name): ReachNode => ({ arn: roleArn(name), accountId: ACCOUNT, grants: grantsOf(name, [LAMBDA]), policies: [ASSUME_ANY], adminEquivalent: false }));
  const admins = Object.entries(TARGETS).map(([name, trust]): ReachNode => ({ arn: roleArn(name), accountId: ACCOUNT, grants: grantsOf(name, trust), policies: [ADMIN_POLICY], adminEquivalent: true }));
  return [...callers, ...admins];
}

/** Every edge of the reach graph from dev and ops: "from -> to (hops): conditional or not". */
function edges(graph: ReachNode[]): string[] {
  return buildReach(graph, engine, fixtureCatalog, undefined, NOW, ORG_ID)
    .paths.filter((p) => p.from === DEV || p.from === OPS)
    .map((p) => `${p.from.split('/').pop()} -> ${p.to.split('/').pop()} (${p.hops.length} hops)${p.conditional ? ' conditional' : ''}`)
    .sort();
}

function rewordNotes(graph: ReachNode[], reword: (note: string | undefined) => string | undefined): number {
  let guards = 0;
  for (const node of graph) {
    for (const grant of node.grants) {
      for (const guard of grant.guards) {
        const note = reword(guard.note);
        if (note === undefined) delete guard.note;
        else guard.note = note;
        guards += 1;
      }
    }
  }
  return guards;
}

describe('a reworded note changes no hop', () => {
  const before = edges(nodes());

  it('the fixture draws what each guard means for each caller', () => {
    expect(before).toEqual([
      'dev -> allow-external-id (1 hops) conditional',
      'dev -> allow-org (1 hops)',
      'dev -> deny-not-principal (1 hops) conditional',
      'dev -> deny-outside-org (1 hops)',
      'dev -> deny-set-operator (1 hops) conditional',
      'dev -> deny-two-conditions (1 hops) conditional',
      'dev -> deny-without-mfa (1 hops) conditional',
      'ops -> allow-external-id (1 hops) conditional',
      'ops -> allow-org (1 hops)',
      'ops -> allow-pin (1 hops)',
      'ops -> deny-but-o-roles (1 hops)',
      'ops -> deny-but-ops (1 hops)',
      'ops -> deny-not-principal (1 hops) conditional',
      'ops -> deny-outside-org (1 hops)',
      'ops -> deny-set-operator (1 hops) conditional',
      'ops -> deny-two-conditions (1 hops) conditional',
      'ops -> deny-without-mfa (1 hops) conditional',
    ]);
  });

  const rewordings: [string, (note: string | undefined) => string | undefined][] = [
    ['dropped', () => undefined],
    ['reworded', (note) => (note === undefined ? undefined : `Per the policy: ${note.toLowerCase()}`)],
    ['made to read as a Deny-derived one', () => 'Enforced by statement 9 (Deny), which denies requests that fail it.'],
    ['made to read as an opaque Deny one', () => 'From statement 9 (Deny), which uses a set operator: failing this condition alone is not denied.'],
    ['replaced by nonsense', () => 'x'],
  ];
  for (const [label, reword] of rewordings) {
    it(`every guard's note ${label}: the same edges`, () => {
      const graph = nodes();
      expect(rewordNotes(graph, reword)).toBeGreaterThanOrEqual(Object.keys(TARGETS).length);
      expect(edges(graph)).toEqual(before);
    });
  }
});

describe('a guard derived from a Deny, judged per caller', () => {
  const dev = { arn: DEV, accountId: ACCOUNT };
  const ops = { arn: OPS, accountId: ACCOUNT };

  it('"Deny unless the caller is ops" admits ops only, though its evidence reads ArnNotEquals ops', () => {
    const grant = only(TARGETS['deny-but-ops'] ?? []);
    expect(grant.guards).toHaveLength(1);
    expect(grant.guards[0]).toMatchObject({ operator: 'ArnNotEquals', values: [OPS], effective: true });
    expect(trustConditionFor(grant, dev, ACCOUNT, { now: NOW })).toBe('false');
    expect(trustConditionFor(grant, ops, ACCOUNT, { now: NOW })).toBe('true');
    delete grant.guards[0]?.note;
    expect(trustConditionFor(grant, dev, ACCOUNT, { now: NOW })).toBe('false');
    expect(trustConditionFor(grant, ops, ACCOUNT, { now: NOW })).toBe('true');
  });

  it('"Deny unless the caller matches role/o*" admits ops and shuts dev out', () => {
    const grant = only(TARGETS['deny-but-o-roles'] ?? []);
    expect(grant.guards[0]).toMatchObject({ operator: 'ArnNotLike', effective: true });
    expect(trustConditionFor(grant, ops, ACCOUNT, { now: NOW })).toBe('true');
    expect(trustConditionFor(grant, dev, ACCOUNT, { now: NOW })).toBe('false');
  });

  it('"Deny outside the organization" holds for its roles when its id is known, else is undecided', () => {
    const grant = only(TARGETS['deny-outside-org'] ?? []);
    expect(trustConditionFor(grant, dev, ACCOUNT, { now: NOW, organizationId: ORG_ID })).toBe('true');
    expect(trustConditionFor(grant, dev, ACCOUNT, { now: NOW })).toBe('unknown');
  });

  it('the condition judged is the Deny negated, kept beside the guard', () => {
    const condition = conditionOf(only(TARGETS['deny-but-ops'] ?? []).guards[0] ?? { kind: 'other', operator: '', key: '', values: [], effective: false });
    expect(condition?.kind).toBe('test');
    if (condition?.kind !== 'test') return;
    expect(condition.test).toMatchObject({ operator: 'ArnNotEquals', base: 'ArnEquals', negated: false, values: [OPS], fromDeny: { statementIndex: 1, label: 'statement 2 (Deny)' } });
  });
});

describe('an opaque Deny guard, judged per caller', () => {
  const callers = [
    { arn: DEV, accountId: ACCOUNT },
    { arn: OPS, accountId: ACCOUNT },
  ];

  it('a Deny with two conditions: ineffective guards, yet undecided for every caller', () => {
    const grant = only(TARGETS['deny-two-conditions'] ?? []);
    expect(grant.guards.map((g) => [g.key, g.effective, conditionOf(g)?.kind])).toEqual([
      ['aws:PrincipalArn', false, 'opaque-deny'],
      ['sts:ExternalId', false, 'opaque-deny'],
    ]);
    for (const caller of callers) expect(trustConditionFor(grant, caller, ACCOUNT, { now: NOW, organizationId: ORG_ID })).toBe('unknown');
  });

  it('a Deny with a set operator: undecided for every caller, whatever its note says', () => {
    const grant = only(TARGETS['deny-set-operator'] ?? []);
    expect(grant.guards.map((g) => conditionOf(g)?.kind)).toEqual(['opaque-deny']);
    for (const guard of grant.guards) guard.note = 'Enforced by nothing.';
    for (const caller of callers) expect(trustConditionFor(grant, caller, ACCOUNT, { now: NOW })).toBe('unknown');
  });

  it('a Deny its note names for what it is: a set operator, or an operator the analysis does not read', () => {
    expect(only(TARGETS['deny-set-operator'] ?? []).guards.map((g) => g.note)).toEqual(['From statement 2 (Deny), which uses a set operator: failing this condition alone is not denied.']);
    const unknown = only([allow(ROOT), deny('*', { Condition: { StringSoundsLike: { 'aws:PrincipalArn': [OPS] } } })]);
    expect(unknown.guards.map((g) => [g.operator, conditionOf(g)?.kind, g.note])).toEqual([
      ['StringSoundsLike', 'opaque-deny', 'From statement 2 (Deny), which uses StringSoundsLike, an operator the analysis cannot turn around: failing this condition alone is not denied.'],
    ]);
    for (const caller of callers) expect(trustConditionFor(unknown, caller, ACCOUNT, { now: NOW })).toBe('unknown');
  });

  it('a Deny with NotPrincipal leaves its spared principal undecided', () => {
    const grant = only(TARGETS['deny-not-principal'] ?? []);
    expect(grant.guards.map((g) => [g.operator, g.effective, conditionOf(g)?.kind])).toEqual([['NotPrincipal', true, 'undecided']]);
    expect(trustConditionFor(grant, callers[1] ?? { arn: OPS, accountId: ACCOUNT }, ACCOUNT, { now: NOW })).toBe('unknown');
  });
});

describe('the judged condition is not part of the review', () => {
  it('JSON and structuredClone leave it out; a guard read back is undecided, never guessed from its evidence', () => {
    const grant = only(TARGETS['deny-but-ops'] ?? []);
    const guard = grant.guards[0];
    expect(guard && conditionOf(guard)?.kind).toBe('test');
    expect(Object.keys(guard ?? {}).sort()).toEqual(['effective', 'key', 'kind', 'note', 'operator', 'party', 'values']);
    const json = JSON.parse(JSON.stringify(grant)) as TrustGrant;
    const cloned = structuredClone(grant);
    for (const copy of [json, cloned]) {
      expect(copy.guards[0] && conditionOf(copy.guards[0])).toBeUndefined();
      expect(trustConditionFor(copy, { arn: DEV, accountId: ACCOUNT }, ACCOUNT, { now: NOW })).toBe('unknown');
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { loadActionCatalog } from '../../src/catalog/load-action-catalog.js';
import { canAssume, createPermissionEvaluator, isActionAllowed, summarizePermissions } from '../../src/analyze/permissions/index.js';
import type { PermissionsEngine, PolicyInput } from '../../src/analyze/engine.js';
import { summarizeRolePermissions } from '../../src/analyze/role-permissions.js';
import { sharedPermissions } from '../../src/analyze/shared-permissions.js';
import type { ActionCatalog } from '../../src/model/action-catalog.js';
import { roleArn } from './builders.js';

const engine: PermissionsEngine = { summarizePermissions, isActionAllowed, canAssume, createPermissionEvaluator, namesAreLabels: true };
let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadActionCatalog();
});

const doc = (statements: unknown[]): PolicyInput['policy'] => ({ ok: true, document: { Version: '2012-10-17', Statement: statements } });
// Lets a team-a role write its own inline policy: admin-equivalent for team-a roles only.
const teamA: PolicyInput = {
  name: 'team-a-self-service',
  arn: 'arn:aws:iam::111111111111:policy/team-a-self-service',
  kind: 'managed',
  policy: doc([{ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: 'arn:aws:iam::111111111111:role/team-a-*' }]),
};
const reads: PolicyInput = { name: 'reads', kind: 'inline', policy: doc([{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }]) };
const byUser: PolicyInput = {
  name: 'own-prefix',
  kind: 'inline',
  policy: doc([{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' }]),
};

describe('shared permission summaries', () => {
  it('gives each role exactly what summarizing it alone gives, computing once per policy set and ARN pattern match', () => {
    const shared = sharedPermissions(catalog, engine);
    const roles = ['team-a-deploy', 'team-a-build', 'team-b-deploy', 'team-b-build'].map((n) => ({ arn: roleArn(n) }));
    // Distinct but equal objects, as two accounts' copies of one managed policy are.
    const copies = (): PolicyInput[] => [structuredClone(teamA), structuredClone(reads)];
    for (const role of roles) {
      const resolved = { policies: copies(), gaps: [] };
      expect(shared.summarize(role, resolved)).toEqual(summarizeRolePermissions(role, resolved, catalog, engine));
    }
    const a = shared.summarize(roles[0]!, { policies: copies(), gaps: [] });
    const b = shared.summarize(roles[2]!, { policies: copies(), gaps: [] });
    expect(a.adminEquivalent).toBe(true);
    expect(b.adminEquivalent).toBe(false);
    expect(shared.stats()).toEqual({ computed: 2, roles: 6 });
  });

  it("keeps each role's own gaps, and never shares a policy that names the principal through a variable", () => {
    const shared = sharedPermissions(catalog, engine);
    const gap = 'Attached policy X (arn:aws:iam::111111111111:policy/X) is not in the snapshot.';
    const one = shared.summarize({ arn: roleArn('one') }, { policies: [reads], gaps: [gap] });
    const two = shared.summarize({ arn: roleArn('two') }, { policies: [reads], gaps: [] });
    expect(one.gaps).toEqual([gap]);
    expect(two.gaps).toEqual([]);
    shared.summarize({ arn: roleArn('three') }, { policies: [byUser], gaps: [] });
    shared.summarize({ arn: roleArn('four') }, { policies: [byUser], gaps: [] });
    expect(shared.stats()).toEqual({ computed: 3, roles: 4 });
  });
});

describe('inline policies shared by content', () => {
  it('computes once for the same inline document under different names, and names each role its own policy', () => {
    const shared = sharedPermissions(catalog, engine);
    const admin = (name: string): PolicyInput => ({ name, kind: 'inline', policy: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) });
    const alpha = { arn: roleArn('alpha') };
    const beta = { arn: roleArn('beta') };
    const a = shared.summarize(alpha, { policies: [admin('alpha-admin')], gaps: [] });
    const b = shared.summarize(beta, { policies: [admin('beta-admin')], gaps: [] });
    expect(shared.stats()).toEqual({ computed: 1, roles: 2 });
    expect(a).toEqual(summarizeRolePermissions(alpha, { policies: [admin('alpha-admin')], gaps: [] }, catalog, engine));
    expect(b).toEqual(summarizeRolePermissions(beta, { policies: [admin('beta-admin')], gaps: [] }, catalog, engine));
    expect(JSON.stringify(a)).toContain('alpha-admin');
    expect(JSON.stringify(b)).toContain('beta-admin');
    expect(JSON.stringify(b)).not.toContain('alpha-admin');
  });

  it('keeps inline names in the key for an engine that does not declare names mere labels', () => {
    const shared = sharedPermissions(catalog, { ...engine, namesAreLabels: false });
    const admin = (name: string): PolicyInput => ({ name, kind: 'inline', policy: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) });
    shared.summarize({ arn: roleArn('alpha') }, { policies: [admin('alpha-admin')], gaps: [] });
    shared.summarize({ arn: roleArn('beta') }, { policies: [admin('beta-admin')], gaps: [] });
    shared.summarize({ arn: roleArn('gamma') }, { policies: [admin('beta-admin')], gaps: [] });
    expect(shared.stats()).toEqual({ computed: 2, roles: 3 });
  });

  it('shares one evaluator per policy set and remembers its answers', () => {
    const shared = sharedPermissions(catalog, engine);
    const assume: PolicyInput = { name: 'x', kind: 'inline', policy: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/ops-*' }]) };
    const e = shared.engine();
    const one = e.createPermissionEvaluator!([assume], catalog);
    const two = e.createPermissionEvaluator!([{ ...assume, name: 'y' }], catalog);
    expect(one).toBe(two);
    expect(one.isAllowed('sts:AssumeRole', 'arn:aws:iam::222222222222:role/ops-admin')).toEqual({ allowed: true, conditional: false });
    expect(one.isAllowed('sts:AssumeRole', 'arn:aws:iam::222222222222:role/dev')).toEqual({ allowed: false, conditional: false });
    expect(shared.keyOf([assume])).toBe(shared.keyOf([{ ...assume, name: 'y' }]));
  });
});

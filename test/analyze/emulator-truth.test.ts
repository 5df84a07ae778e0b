/**
 * The emulator's synthetic organization labels every trust grant it generates (class and guards): the
 * answer key the trust analysis is checked against, across several seeds.
 */
import { describe, expect, it } from 'vitest';
import { generateOrg } from '../../src/emulator/index.js';
import type { SyntheticAccount, SyntheticRole } from '../../src/emulator/org-types.js';
import { analyzeTrustPolicy } from '../../src/analyze/trust/grants.js';
import { vendorIndex } from '../../src/analyze/vendors.js';
import { loadVendors } from '../../src/config/vendors.js';
import type { RoleRecord } from '../../src/model/snapshot.js';

const vendors = vendorIndex(loadVendors([]));

function record(role: SyntheticRole): RoleRecord {
  return {
    arn: role.arn,
    name: role.name,
    roleId: role.roleId,
    path: role.path,
    trustPolicy: { ok: true, document: role.trustPolicy.document },
    inlinePolicies: [],
    attachedPolicies: [],
    tags: [],
  };
}

function mismatches(account: SyntheticAccount, orgAccountIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const role of account.roles) {
    const { grants, error } = analyzeTrustPolicy(record(role), { accountId: account.id, orgAccountIds, vendors });
    if (error) problems.push(`${role.name}: ${error}`);
    for (const truth of role.trustGrants.filter((t) => t.effect === 'Allow')) {
      const grant = grants.find((g) => g.statementIndex === truth.statement && g.principal.raw === truth.principal);
      const kinds = new Set(grant?.guards.map((g) => g.kind));
      const missing = truth.guards.filter((kind) => !kinds.has(kind));
      if (grant?.principal.class !== truth.class || missing.length > 0) {
        problems.push(`${role.name} ${truth.principal}: expected ${truth.class} [${truth.guards.join(', ')}], got ${grant?.principal.class ?? 'no grant'} [${[...kinds].join(', ')}]`);
      }
      if (truth.wildcardSubject) {
        const sub = grant?.guards.find((g) => g.kind === 'oidc-sub');
        if (sub?.effective !== false) problems.push(`${role.name}: a wildcard subject should be judged ineffective`);
      }
    }
  }
  return problems;
}

describe('trust analysis against the synthetic organization', () => {
  it.each([1, 4, 7, 42])('seed %i: every generated grant is classified as labelled', (seed) => {
    const org = generateOrg({ seed });
    const orgAccountIds = new Set(org.accounts.map((a) => a.id));
    const problems = org.accounts.flatMap((account) => mismatches(account, orgAccountIds));
    expect(problems).toEqual([]);
    expect(org.accounts.flatMap((a) => a.roles).length).toBeGreaterThan(0);
  });
});

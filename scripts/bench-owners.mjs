/**
 * Owner resolution at scale: a synthetic snapshot of N accounts in a three-level OU tree, each with R roles
 * (a tenth of them carrying a team tag), and O owners split between account tags, OUs, listed accounts and
 * account-tag matches. Times resolveOwnership alone (pure, no I/O). Prints the figures; the last line is one
 * JSON object. Run after `npm run build`: node scripts/bench-owners.mjs [accounts] [rolesPerAccount] [owners]
 */
import './on-supported-node.mjs';
import { performance } from 'node:perf_hooks';
import { resolveOwnership } from '../dist/analyze/owners.js';
import { OWNERS_DEFAULTS } from '../dist/model/ownership.js';

const accounts = Number(process.argv[2] ?? 1000);
const rolesPerAccount = Number(process.argv[3] ?? 40);
const ownerCount = Number(process.argv[4] ?? 100);

const id = (i) => String(100000000000 + i);
const ou = (i) => `ou-root-${String(i).padStart(8, '0')}`;
const ous = [];
for (let i = 0; i < ownerCount; i++) ous.push({ id: ou(i), name: `OU ${i}`, parentId: i < 10 ? 'r-root' : ou(Math.floor(i / 10) - 1) });
const owners = Array.from({ length: ownerCount }, (_, i) => ({
  name: `Team ${i}`,
  emails: [`team-${i}@example.com`],
  accounts: i % 4 === 2 ? [id(i)] : [],
  organizationalUnits: i % 4 === 1 ? [ou(i)] : [],
  accountTags: i % 4 === 3 ? { 'cost-center': `cc-${i}` } : {},
}));
const orgAccounts = [];
const snapAccounts = [];
for (let a = 0; a < accounts; a++) {
  const owner = a % ownerCount;
  const tags = owner % 4 === 0 ? [{ key: 'team', value: `team ${owner}` }] : owner % 4 === 3 ? [{ key: 'cost-center', value: `cc-${owner}` }] : [];
  orgAccounts.push({ id: id(a), name: `acct-${a}`, status: 'ACTIVE', parentId: ou(owner), tags });
  const roles = [];
  for (let r = 0; r < rolesPerAccount; r++) {
    roles.push({ arn: `arn:aws:iam::${id(a)}:role/role-${r}`, name: `role-${r}`, tags: r % 10 === 0 ? [{ key: 'owner', value: `Team ${(a + r) % ownerCount}` }] : [] });
  }
  snapAccounts.push({ accountId: id(a), roles });
}
const snapshot = {
  organization: { id: 'o-bench00000', managementAccountId: id(0), roots: [{ id: 'r-root', name: 'Root' }], organizationalUnits: ous, accounts: orgAccounts, coverage: [] },
  accounts: snapAccounts,
};

const times = [];
let result;
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  result = resolveOwnership(snapshot, { ...OWNERS_DEFAULTS, list: owners });
  times.push(performance.now() - t);
}
times.sort((x, y) => x - y);
const roles = accounts * rolesPerAccount;
const median = times[2];
const bySource = {};
for (const ref of Object.values(result.roles)) bySource[ref.source] = (bySource[ref.source] ?? 0) + 1;
console.log(`${accounts} accounts, ${roles} roles, ${ownerCount} owners: median ${median.toFixed(1)} ms over 5 runs (${((median * 1000) / roles).toFixed(2)} µs a role)`);
console.log('roles by source:', bySource);
console.log(JSON.stringify({ accounts, roles, owners: ownerCount, medianMs: Number(median.toFixed(1)), usPerRole: Number(((median * 1000) / roles).toFixed(2)), unassignedRoles: result.unassigned.roleArns.length, bySource }));

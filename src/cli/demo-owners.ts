/**
 * The demo's owners: one per way an owner is found (role tag, account tag, OU, account tags in config),
 * with addresses in the synthetic organization's mail domain, which the emulated SES has verified.
 */
import type { OwnerEntry } from '../model/ownership.js';

export function demoOwners(org: { domain: string; organizationalUnits: readonly { id: string; name: string }[] }): OwnerEntry[] {
  const ou = (name: string): string[] => org.organizationalUnits.filter((u) => u.name === name).map((u) => u.id);
  const entry = (name: string, local: string, scope: Partial<Pick<OwnerEntry, 'accounts' | 'organizationalUnits' | 'accountTags'>> = {}): OwnerEntry => ({
    name,
    emails: [`${local}@${org.domain}`],
    accounts: scope.accounts ?? [],
    organizationalUnits: scope.organizationalUnits ?? [],
    accountTags: scope.accountTags ?? {},
  });
  return [
    // Named by the owner tag on the review role in every account, and on the security accounts.
    entry('Security Engineering', 'security-engineering'),
    // Named by the account tag owner=platform and the team=platform tag on every ci-deployer role.
    entry('Platform', 'platform-team'),
    // Named by the account tag team=Payments.
    entry('Payments', 'payments-lead'),
    // prod-web carries no owner tag: it is Web's through the Production OU.
    entry('Web', 'web-team', { organizationalUnits: ou('Production') }),
    // data-platform is matched by its cost-center tag.
    entry('Data', 'data-platform', { accountTags: { 'cost-center': 'analytics' } }),
  ];
}

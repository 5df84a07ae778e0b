/**
 * Which roles Access Advisor is asked about: those a principal outside the role's own account can assume.
 * Decided before the organization's accounts matter (any other account counts), and an unreadable trust
 * policy counts too, since it cannot rule outside access out.
 */
import type { RoleRecord } from '../../model/snapshot.js';
import { isServiceLinked } from '../context.js';
import { CROSS_ACCOUNT_CLASSES } from '../rules/helpers.js';
import { analyzeTrustPolicy } from '../trust/grants.js';
import { vendorIndex } from '../vendors.js';

const NO_VENDORS = vendorIndex([]);

export function assumableFromOutsideAccount(role: RoleRecord, accountId: string): boolean {
  if (isServiceLinked(role)) return false;
  const trust = analyzeTrustPolicy(role, { accountId, orgAccountIds: new Set(), vendors: NO_VENDORS });
  if (trust.error) return true;
  return trust.grants.some((grant) => !grant.negatedBy && CROSS_ACCOUNT_CLASSES.includes(grant.principal.class));
}

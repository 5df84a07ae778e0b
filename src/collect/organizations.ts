import { DescribeOrganizationCommand, paginateListAccounts, type OrganizationsClient } from '@aws-sdk/client-organizations';
import type { OrganizationInfo } from '../model/snapshot.js';

/** The organization and its accounts; callable from the management account or a delegated administrator. */
export async function collectOrganization(client: OrganizationsClient): Promise<OrganizationInfo> {
  const org = await client.send(new DescribeOrganizationCommand({}));
  const accounts: OrganizationInfo['accounts'] = [];
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const a of page.Accounts ?? []) {
      accounts.push({ id: a.Id ?? '', name: a.Name ?? '', ...(a.Email ? { email: a.Email } : {}), status: a.State ?? a.Status ?? 'UNKNOWN' });
    }
  }
  accounts.sort((a, b) => a.id.localeCompare(b.id));
  return { id: org.Organization?.Id ?? '', managementAccountId: org.Organization?.MasterAccountId ?? '', accounts };
}

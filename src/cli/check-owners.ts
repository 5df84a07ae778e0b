/**
 * `check` for owners: the owners config against the organization (accounts and OUs it names exist), and
 * each owner's addresses deliverable the way the distribution list's are (SES sandbox: verified identities
 * only). Read-only, like the rest of `check`.
 */
import type { Config } from '../config/config.js';
import type { CheckItem } from '../collect/preflight.js';
import type { ClientFactory } from '../collect/clients.js';
import { describeError } from '../collect/errors.js';
import { collectOrganization, collectOrganizationTree } from '../collect/organizations.js';
import { ownersConfigProblems, type KnownOrganization } from '../analyze/owners.js';
import { sesAccountState, verifiedSesIdentity } from '../deliver/email.js';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

export async function checkOwners(config: Config, clients: ClientFactory): Promise<CheckItem[]> {
  const list = config.owners.list;
  if (list.length === 0) return [];
  return [await checkOwnersScope(config, clients), await checkOwnerEmails(config, clients)];
}

async function checkOwnersScope(config: Config, clients: ClientFactory): Promise<CheckItem> {
  const names = config.owners.list.some((e) => e.accounts.length > 0 || e.organizationalUnits.length > 0);
  if (!names) return { check: 'owners', status: 'ok', detail: `${config.owners.list.length} owner(s); none names an account or OU, so there is nothing to match against the organization.` };
  let known: KnownOrganization;
  if (config.scope.mode !== 'organization') {
    const self = await clients.sts().send(new GetCallerIdentityCommand({})).catch(() => undefined);
    known = { name: 'the reviewed account', accountIds: new Set(self?.Account ? [self.Account] : []), noTreeReason: 'OUs are read only in organization mode' };
  } else {
    try {
      const org = await collectOrganization(clients.organizations());
      known = { name: `organization ${org.id}`, accountIds: new Set(org.accounts.map((a) => a.id)) };
      try {
        const tree = await collectOrganizationTree(clients.organizations());
        known.organizationalUnitIds = new Set(tree.organizationalUnits.map((u) => u.id));
      } catch (e) {
        known.noTreeReason = describeError(e, 'organizations:ListRoots/ListOrganizationalUnitsForParent').detail;
      }
    } catch (e) {
      return { check: 'owners', status: 'fail', detail: `The owners' accounts and OUs could not be checked: ${describeError(e, 'organizations:ListAccounts').detail}` };
    }
  }
  const problems = ownersConfigProblems(config.owners, known);
  if (problems.length === 0) return { check: 'owners', status: 'ok', detail: `Every account and OU the ${config.owners.list.length} owner(s) name is in ${known.name}.` };
  const unchecked = problems.every((p) => p.message.includes('could not be checked'));
  return { check: 'owners', status: unchecked ? 'warn' : 'fail', detail: problems.map((p) => `${p.path ?? ''}: ${p.message}`).join(' ') };
}

async function checkOwnerEmails(config: Config, clients: ClientFactory): Promise<CheckItem> {
  const addresses = [...new Set(config.owners.list.flatMap((e) => e.emails))];
  const email = config.email;
  if (!config.owners.reports) return { check: 'owner-emails', status: 'skip', detail: 'owners.reports is off: no owner is emailed.' };
  if (!email) return { check: 'owner-emails', status: 'warn', detail: `No email is configured, so none of the ${addresses.length} owner address(es) will get their report.` };
  if (email.transport === 'smtp') return { check: 'owner-emails', status: 'skip', detail: `Sent through the SMTP relay ${email.smtp?.host ?? ''}; whether it delivers to the ${addresses.length} owner address(es) is the relay's to say.` };
  const region = email.region ?? clients.region;
  const ses = clients.ses(region);
  try {
    const account = await sesAccountState(ses);
    if (!account.sandbox) return { check: 'owner-emails', status: 'ok', region, detail: `SES has production access in ${region}: the ${addresses.length} owner address(es) need no verification.` };
    const unverified: string[] = [];
    for (const a of addresses) if (!(await verifiedSesIdentity(ses, a))) unverified.push(a);
    if (unverified.length > 0) {
      const who = unverified.map((a) => `${a} (${config.owners.list.filter((e) => e.emails.includes(a)).map((e) => e.name).join(', ')})`);
      return { check: 'owner-emails', status: 'fail', region, detail: `SES in ${region} is in the sandbox and these owner addresses are not verified identities: ${who.join(', ')}. Request production access or verify them.` };
    }
    return { check: 'owner-emails', status: 'ok', region, detail: `SES in ${region} is in the sandbox and all ${addresses.length} owner address(es) are verified identities.` };
  } catch (e) {
    return { check: 'owner-emails', status: 'fail', region, detail: describeError(e, 'ses:GetEmailIdentity/GetAccount').detail };
  }
}

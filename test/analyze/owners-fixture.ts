/**
 * An organization of four accounts and three owners, analysed for real (stub permissions engine), with the
 * ownership filled in by hand the way owner resolution will: Payments owns its account, Data owns its
 * account plus one role tagged to it in the platform account, Platform owns the rest of the platform
 * account, and the sandbox account is owned by Sandbox. Names are distinctive so a search for them in a
 * rendered report finds nothing by accident.
 */
import type { OwnerRef, Ownership, OwnerSummary } from '../../src/model/ownership.js';
import type { Review } from '../../src/model/review.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { ADMIN_POLICY, account, allow, assumption, policy, role, roleArn, run, snapshot } from './builders.js';

export const PAYMENTS = '111111111111';
export const DATA = '222222222222';
export const PLATFORM = '333333333333';
export const SANDBOX = '444444444444';
export const OUTSIDER = '999988887777';

const arn = (name: string, accountId: string): string => roleArn(name, accountId);

export function ownersSnapshot(overrides: { dropAccounts?: string[]; withoutRoles?: string[] } = {}): Snapshot {
  const accounts = [
    account(
      [
        role('pay-api', policy(allow({ AWS: `arn:aws:iam::${PLATFORM}:role/platform-ci` })), { arn: arn('pay-api', PAYMENTS) }),
        role('pay-deployer', policy(allow({ AWS: `arn:aws:iam::${OUTSIDER}:root` })), {
          arn: arn('pay-deployer', PAYMENTS),
          attachedPolicies: [{ arn: ADMIN_POLICY.arn, name: ADMIN_POLICY.name }],
        }),
      ],
      {
        accountId: PAYMENTS,
        accountName: 'payments-prod-ledger',
        usage: {
          window: { start: '2026-08-27T06:00:00.000Z', end: '2026-11-25T06:00:00.000Z' },
          regions: ['us-east-1'],
          eventsRead: 3,
          assumptions: [
            assumption('pay-api', {
              roleArn: arn('pay-api', PAYMENTS),
              callerAccountId: PLATFORM,
              callerArn: `arn:aws:sts::${PLATFORM}:assumed-role/platform-ci/build-42`,
              callerType: 'AssumedRole',
            }),
          ],
        },
      },
    ),
    account(
      [
        role('lake-reader', policy(allow({ AWS: `arn:aws:iam::${OUTSIDER}:root` })), { arn: arn('lake-reader', DATA) }),
        role('etl-runner', policy(allow({ AWS: `arn:aws:iam::${PLATFORM}:root` })), { arn: arn('etl-runner', DATA), lastUsed: undefined, createDate: '2023-01-01T00:00:00.000Z' }),
      ],
      { accountId: DATA, accountName: 'datalake-analytics' },
    ),
    account(
      [
        role('platform-ci', policy(allow({ Service: 'codebuild.amazonaws.com' })), { arn: arn('platform-ci', PLATFORM) }),
        role('platform-breakglass', policy(allow({ AWS: `arn:aws:iam::${SANDBOX}:role/sandbox-tinkerer` })), {
          arn: arn('platform-breakglass', PLATFORM),
          attachedPolicies: [{ arn: ADMIN_POLICY.arn, name: ADMIN_POLICY.name }],
        }),
        role('bridge-sync', policy(allow({ AWS: `arn:aws:iam::${DATA}:role/etl-runner` })), { arn: arn('bridge-sync', PLATFORM), tags: [{ key: 'team', value: 'Data' }] }),
      ],
      { accountId: PLATFORM, accountName: 'platform-shared-core' },
    ),
    account([role('sandbox-tinkerer', policy(allow({ AWS: `arn:aws:iam::${OUTSIDER}:root` })), { arn: arn('sandbox-tinkerer', SANDBOX) })], {
      accountId: SANDBOX,
      accountName: 'sandbox-playground-lab',
    }),
  ].filter((a) => !overrides.dropAccounts?.includes(a.accountId));
  for (const a of accounts) a.roles = a.roles.filter((r) => !overrides.withoutRoles?.includes(r.name));
  return snapshot(accounts, {
    organization: {
      id: 'o-owners12345',
      managementAccountId: PLATFORM,
      accounts: [
        { id: PAYMENTS, name: 'payments-prod-ledger', status: 'ACTIVE' },
        { id: DATA, name: 'datalake-analytics', status: 'ACTIVE' },
        { id: PLATFORM, name: 'platform-shared-core', status: 'ACTIVE' },
        { id: SANDBOX, name: 'sandbox-playground-lab', status: 'ACTIVE' },
      ],
    },
  });
}

interface HandOwner {
  id: string;
  name: string;
  emails: string[];
  accounts: string[];
  /** Roles theirs by tag, in accounts otherwise someone else's. */
  taggedRoles?: string[];
}

export const OWNERS: HandOwner[] = [
  { id: 'data', name: 'Data', emails: ['data-leads@example.com'], accounts: [DATA], taggedRoles: [arn('bridge-sync', PLATFORM)] },
  { id: 'payments', name: 'Payments', emails: ['payments-leads@example.com'], accounts: [PAYMENTS] },
  { id: 'platform', name: 'Platform', emails: ['platform@example.com', 'sre@example.com'], accounts: [PLATFORM] },
  { id: 'sandbox', name: 'Sandbox', emails: [], accounts: [SANDBOX] },
];

/** Ownership as resolution would fill it: a tagged role goes to its tag's owner, every other role to its account's. */
export function ownershipByHand(review: Review, owners: readonly HandOwner[] = OWNERS): Ownership {
  const accounts: Record<string, OwnerRef> = {};
  const roles: Record<string, OwnerRef> = {};
  const unassigned = { accountIds: [] as string[], roleArns: [] as string[] };
  for (const a of review.accounts) {
    const owner = owners.find((o) => o.accounts.includes(a.accountId));
    accounts[a.accountId] = owner ? { id: owner.id, name: owner.name, source: 'config-account' } : { id: 'unassigned', name: 'Unassigned', source: 'unassigned' };
    if (!owner) unassigned.accountIds.push(a.accountId);
    for (const r of a.roles) {
      const tagged = owners.find((o) => o.taggedRoles?.includes(r.arn));
      if (tagged) roles[r.arn] = { id: tagged.id, name: tagged.name, source: 'role-tag', detail: `role tag team=${tagged.name}` };
      else if (owner) roles[r.arn] = { id: owner.id, name: owner.name, source: 'config-account' };
      else {
        roles[r.arn] = { id: 'unassigned', name: 'Unassigned', source: 'unassigned' };
        unassigned.roleArns.push(r.arn);
      }
    }
  }
  const summaries: OwnerSummary[] = owners.map((o) => {
    const roleArns = Object.entries(roles).filter(([, ref]) => ref.id === o.id).map(([roleArn]) => roleArn);
    const accountIds = [...new Set([...o.accounts.filter((id) => accounts[id]), ...roleArns.map((r) => r.split(':')[4] ?? '')])].sort();
    const openFindings = review.findings.filter((f) => f.status !== 'suppressed' && roleArns.some((r) => f.resource === r || f.grantId?.startsWith(`${r}#`))).length;
    return { id: o.id, name: o.name, emails: o.emails, accountIds, roleArns, openFindings };
  });
  return { owners: summaries, roles, accounts, unassigned };
}

export function ownersReview(overrides: { previous?: Review; now?: Date; snapshot?: Snapshot } = {}): Review {
  const review = run(overrides.snapshot ?? ownersSnapshot(), {
    ...(overrides.previous ? { previous: overrides.previous } : {}),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  review.ownership = ownershipByHand(review);
  return review;
}

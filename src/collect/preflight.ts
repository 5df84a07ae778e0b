/**
 * Preflight: one cheap call per permission the run needs, in every account and region in scope, so a
 * platform team learns in seconds — not after hours of rate-limited reads — that a member role is missing
 * or an SCP denies CloudTrail. Read-only: nothing is written anywhere.
 */
import { GenerateServiceLastAccessedDetailsCommand, GetAccountAuthorizationDetailsCommand, GetServiceLastAccessedDetailsCommand } from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { accountConcurrency, athenaRegion, trailRegion, type Config } from '../config/config.js';
import type { ClientFactory } from './clients.js';
import { whoAmI } from './account.js';
import { describeError, type DescribedError } from './errors.js';
import { archiveRegionHint } from './region-hints.js';
import { mapBounded } from './bounded.js';
import { collectOrganization } from './organizations.js';
import { accountsInScope, partitionOf } from './index.js';
import { preflightTrail } from './trail-preflight.js';
import { preflightAthena } from './athena-preflight.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckItem {
  check: string;
  status: CheckStatus;
  detail: string;
  account?: string;
  region?: string;
}

/** One read, as a check item; `hint` adds what to change for a failure it recognizes (a bucket elsewhere). */
async function probe(
  check: string,
  where: { account?: string; region?: string },
  action: string,
  call: () => Promise<string>,
  hint: (d: DescribedError) => string = () => '',
): Promise<CheckItem> {
  try {
    return { check, status: 'ok', detail: await call(), ...where };
  } catch (e) {
    const d = describeError(e, action);
    return { check, status: 'fail', detail: `${d.detail}${hint(d)}`, ...where };
  }
}

/** The reads `run` makes in one account, each once. */
async function probeAccount(clients: ClientFactory, config: Config, account: string): Promise<CheckItem[]> {
  const where = { account };
  let someRole: string | undefined;
  const items: CheckItem[] = [
    await probe('iam', where, 'iam:GetAccountAuthorizationDetails', async () => {
      const out = await clients.iam().send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: 1 }));
      someRole = out.RoleDetailList?.[0]?.Arn;
      return 'Role inventory readable.';
    }),
  ];
  if (config.lastAccessed.enabled && someRole) {
    const roleArn = someRole;
    // Both calls, on one role: a report job reads IAM's records and changes nothing in the account.
    items.push(
      await probe('last-accessed', where, 'iam:GenerateServiceLastAccessedDetails and iam:GetServiceLastAccessedDetails', async () => {
        const job = await clients.iam().send(new GenerateServiceLastAccessedDetailsCommand({ Arn: roleArn, Granularity: 'ACTION_LEVEL' }));
        if (!job.JobId) throw new Error('IAM returned no JobId');
        await clients.iam().send(new GetServiceLastAccessedDetailsCommand({ JobId: job.JobId, MaxItems: 1 }));
        return 'Service last-accessed data (Access Advisor) readable.';
      }),
    );
  }
  for (const region of config.regions) {
    const here = { account, region };
    // With the trail (read directly or through Athena) as the source, event history is not read at all.
    if (config.cloudtrail.enabled && config.cloudtrail.source !== 'organization-trail' && config.cloudtrail.source !== 'athena') {
      items.push(
        await probe('cloudtrail', here, 'cloudtrail:LookupEvents', async () => {
          await clients.cloudtrail(region).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }], MaxResults: 1 }));
          return 'Event history readable.';
        }),
      );
    }
    if (config.accessAnalyzer.enabled) {
      const item = await probe('access-analyzer', here, 'access-analyzer:ListAnalyzers', async () => {
        const out = await clients.accessAnalyzer(region).send(new ListAnalyzersCommand({}));
        const active = (out.analyzers ?? []).filter((a) => a.status === 'ACTIVE' && (a.type === 'ACCOUNT' || a.type === 'ORGANIZATION'));
        return active.length > 0 ? `External-access analyzer ${active.map((a) => a.name).join(', ')} active.` : '';
      });
      // Readable but empty is a finding in the review, not a broken run: warn.
      if (item.status === 'ok' && item.detail === '') {
        items.push({ ...item, status: 'warn', detail: 'No active external-access analyzer here; the review will report it (access-analyzer-not-enabled).' });
      } else {
        items.push(item);
      }
    }
  }
  return items;
}

export async function preflightAws(config: Config, clients: ClientFactory): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  let self: string;
  try {
    self = await whoAmI(clients);
    items.push({ check: 'credentials', status: 'ok', detail: `Running as account ${self}.`, account: self });
  } catch (e) {
    return [{ check: 'credentials', status: 'fail', detail: describeError(e, 'sts:GetCallerIdentity').detail }];
  }

  let targets: { id: string; name?: string }[] = [{ id: self }];
  if (config.scope.mode === 'organization') {
    try {
      const org = await collectOrganization(clients.organizations());
      targets = accountsInScope(org, config.scope);
      items.push({ check: 'organizations', status: 'ok', detail: `Organization ${org.id}: ${targets.length} active account(s) in scope.` });
    } catch (e) {
      items.push({ check: 'organizations', status: 'fail', detail: `${describeError(e, 'organizations:ListAccounts').detail} Only account ${self} could be reviewed.` });
    }
  }

  const partition = partitionOf(config.aws.region);
  const perAccount = await mapBounded(targets, accountConcurrency(config.scope.concurrency, targets.length), async (target): Promise<CheckItem[]> => {
    if (target.id === self) return probeAccount(clients, config, self);
    const roleArn = `arn:${partition}:iam::${target.id}:role/${config.scope.memberRoleName}`;
    const member = clients.assume(roleArn, config.scope.memberRoleExternalId);
    const entered = await probe('member-role', { account: target.id }, `sts:AssumeRole into ${roleArn}`, async () => {
      await whoAmI(member);
      return `Assumed ${config.scope.memberRoleName}.`;
    });
    return entered.status === 'ok' ? [entered, ...(await probeAccount(member, config, target.id))] : [entered];
  });
  items.push(...perAccount.flat());
  items.push(...(await preflightTrail(config, clients.s3(trailRegion(config)), targets.map((t) => t.id))));
  // Athena's result bucket is in Athena's region, like its workgroup.
  items.push(...(await preflightAthena(config, clients.athena(athenaRegion(config)), clients.s3(athenaRegion(config)))));

  const bucket = config.archive.bucket;
  if (bucket) {
    items.push(
      await probe(
        'archive',
        {},
        `s3:ListBucket on ${bucket}`,
        async () => {
          await clients.s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${config.archive.prefix}/`, MaxKeys: 1 }));
          return `s3://${bucket}/${config.archive.prefix}/ listable (writes are not tried: the archive is write-once).`;
        },
        (d) => archiveRegionHint(d, config.aws.region),
      ),
    );
  } else {
    items.push({ check: 'archive', status: 'warn', detail: 'No archive.bucket: runs are kept only in the local folder, and there is no previous review to compare with.' });
  }
  return items;
}

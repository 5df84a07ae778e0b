/**
 * The everyday bulk of an account's roles: Lambda and ECS workloads, EC2 instance roles, cross-account
 * read roles, more vendors, and the leftovers nobody deleted. Drawn at random to reach rolesPerAccount.
 */
import { awsManagedArn } from './aws-managed-policies.js';
import { inline, legacyEc2Admin, terraformState } from './customer-policies.js';
import type { UsageProfile } from './org-types.js';
import { allow, awsCaller, roleSpec, serviceCaller, trustDoc } from './role-helpers.js';
import type { AccountContext, RoleSpec } from './role-spec.js';
import { vendorIdentity } from './special-roles.js';

const LAMBDA_NAMES = ['thumbnailer', 'invoice-generator', 'webhook-relay', 'nightly-report', 'slack-notifier', 'user-sync', 'etl-transform', 'audit-log-shipper', 'cost-reporter', 'image-resizer', 'search-sync', 'email-bounces'];
const ECS_NAMES = ['checkout-service', 'search-indexer', 'notifications', 'pricing-engine', 'recommendations', 'ledger-writer'];
const EC2_NAMES = ['bastion', 'jenkins-agent', 'batch-worker', 'kafka-broker', 'vpn-gateway'];
const STALE_NAMES = ['test-role-delete-me', 'tmp-debug-role', 'poc-sagemaker', 'old-jenkins', 'migration-2021', 'hackathon-2023', 'john-test'];
/** Vendors the special archetypes already use; fillers pick from the rest. */
const SPECIAL_VENDORS = new Set(['Datadog', 'Cloudability', 'Lacework']);

type Kind = 'lambda' | 'ecs' | 'ec2' | 'org-read' | 'vendor' | 'stale' | 'terraform';

const KINDS: readonly (readonly [Kind, number])[] = [
  ['lambda', 30],
  ['ecs', 15],
  ['ec2', 10],
  ['org-read', 12],
  ['vendor', 8],
  ['stale', 15],
  ['terraform', 5],
];

const USAGE: readonly (readonly [UsageProfile, number])[] = [
  ['hot', 15],
  ['regular', 35],
  ['rare', 25],
  ['dormant', 12],
  ['never', 13],
];

// Where each base name's search for a free suffix stopped last time, per account's name set: names are
// only ever added, so the search resumes there instead of walking every suffix again (2,000-role accounts).
const probes = new WeakMap<Set<string>, Map<string, number>>();

function freeName(base: string, taken: Set<string>): string {
  let next = probes.get(taken);
  if (!next) probes.set(taken, (next = new Map()));
  let i = next.get(base) ?? 1;
  let name = i === 1 ? base : `${base}-${i}`;
  while (taken.has(name)) name = `${base}-${++i}`;
  next.set(base, i);
  return name;
}

export function fillerRole(ctx: AccountContext, taken: Set<string>): RoleSpec {
  const { rng } = ctx;
  let kind = rng.weighted(KINDS);
  if (kind === 'org-read' && ctx.others.length === 0) kind = 'lambda';
  const usage = kind === 'stale' ? rng.pick<UsageProfile>(['dormant', 'never', 'never']) : rng.weighted(USAGE);
  const pctx = { accountId: ctx.self, region: ctx.region, company: ctx.company };
  switch (kind) {
    case 'lambda': {
      const name = freeName(`${rng.pick(LAMBDA_NAMES)}-lambda`, taken);
      const extra = rng.pick([
        inline.dynamoTable(pctx, name.replace(/-lambda.*$/, '')),
        inline.sqsConsume(pctx, `${name.replace(/-lambda.*$/, '')}-queue`),
        inline.s3ReadBucket(`${ctx.company}-${name.replace(/-lambda.*$/, '')}`),
      ]);
      return roleSpec({
        archetype: 'filler-lambda',
        name,
        path: rng.chance(0.5) ? '/service-role/' : '/',
        trust: trustDoc(allow({ Service: 'lambda.amazonaws.com' })),
        trustStyle: rng.pick(['spaces4', 'compact', 'spaces2'] as const),
        attached: [awsManagedArn('AWSLambdaBasicExecutionRole')],
        inline: [{ name: `${name}-access`, document: extra, style: 'compact' }],
        usage,
        callers: [serviceCaller('lambda.amazonaws.com')],
      });
    }
    case 'ecs': {
      const name = freeName(`${rng.pick(ECS_NAMES)}-task`, taken);
      const conditioned = rng.chance(0.4);
      return roleSpec({
        archetype: 'filler-ecs',
        name,
        trust: trustDoc(
          conditioned
            ? allow({ Service: 'ecs-tasks.amazonaws.com' }, 'sts:AssumeRole', { StringEquals: { 'aws:SourceAccount': ctx.self } })
            : allow({ Service: 'ecs-tasks.amazonaws.com' }),
        ),
        trustStyle: 'spaces2',
        inline: [{ name: 'task-access', document: inline.dynamoTable(pctx, name.replace(/-task.*$/, '')), style: 'spaces2' }],
        usage,
        callers: [serviceCaller('ecs-tasks.amazonaws.com')],
      });
    }
    case 'ec2': {
      const name = freeName(`${rng.pick(EC2_NAMES)}-ec2`, taken);
      return roleSpec({
        archetype: 'filler-ec2',
        name,
        trust: trustDoc(allow({ Service: 'ec2.amazonaws.com' })),
        trustStyle: rng.pick(['spaces4', 'tabs'] as const),
        attached: [awsManagedArn('AmazonSSMManagedInstanceCore'), awsManagedArn('CloudWatchAgentServerPolicy')],
        inline: rng.chance(0.3) ? [{ name: 'ec2-s3-everything', document: inline.fullS3(), style: 'compact' }] : [],
        instanceProfile: true,
        usage,
        callers: [serviceCaller('ec2.amazonaws.com')],
      });
    }
    case 'org-read': {
      const acct = rng.pick(ctx.others);
      const name = freeName('xacct-readonly', taken);
      return roleSpec({
        archetype: 'filler-org-read',
        name,
        trust: trustDoc(allow({ AWS: `arn:aws:iam::${acct}:root` })),
        trustStyle: 'compact',
        attached: [awsManagedArn('ReadOnlyAccess')],
        usage,
        callers: [awsCaller(ctx.ssoAdminRole(acct), 1)],
      });
    }
    case 'vendor': {
      const candidates = ctx.vendors.filter((v) => !SPECIAL_VENDORS.has(v.name));
      const v = rng.pick(candidates);
      const slug = v.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      const externalId = rng.hex(24);
      return roleSpec({
        archetype: 'filler-vendor',
        name: freeName(`${slug}-integration`, taken),
        trust: trustDoc(allow({ AWS: `arn:aws:iam::${v.accountId}:root` }, 'sts:AssumeRole', { StringEquals: { 'sts:ExternalId': externalId } })),
        attached: [awsManagedArn('SecurityAudit')],
        tags: [{ Key: 'vendor', Value: slug }],
        usage,
        callers: [awsCaller(vendorIdentity(ctx, v), 1, { externalId })],
      });
    }
    case 'terraform': {
      const tf = terraformState(pctx);
      return roleSpec({
        archetype: 'filler-terraform',
        name: freeName('terraform-state-access', taken),
        trust: trustDoc(allow({ AWS: `arn:aws:iam::${ctx.self}:role/ci-deployer` })),
        attached: [ctx.policyArn(tf)],
        customerPolicies: [tf],
        usage,
        callers: [awsCaller(ctx.role(ctx.self, 'ci-deployer', ['GitHubActions']), 1)],
      });
    }
    case 'stale': {
      const name = freeName(rng.pick(STALE_NAMES), taken);
      const legacy = legacyEc2Admin();
      return roleSpec({
        archetype: 'filler-stale',
        name,
        trust: rng.chance(0.5)
          ? trustDoc(allow({ AWS: `arn:aws:iam::${ctx.self}:root` }))
          : trustDoc(allow({ Service: 'ec2.amazonaws.com' })),
        trustStyle: 'tabs',
        attached: rng.chance(0.5) ? [awsManagedArn('PowerUserAccess')] : [awsManagedArn('AmazonS3ReadOnlyAccess')],
        customerPolicies: [legacy],
        usage,
        callers: [],
      });
    }
  }
}

/**
 * IAM over awsQuery: GetAccountAuthorizationDetails (the one call that returns every role with its trust,
 * inline and attached policies, tags and RoleLastUsed) and ListAccountAliases. Policy documents go out
 * URL-encoded, as IAM sends them; AWS managed policies are listed only where something attaches them.
 */
import { ServiceError, type ApiRequest, type HttpResponse } from './http-types.js';
import type { SyntheticAccount, SyntheticManagedPolicy, SyntheticRole, SyntheticUser, TagTruth } from './org-types.js';
import { rfc3986Encode } from './policy-text.js';
import { decodeMarker, encodeMarker, memberList, queryParams } from './query-params.js';
import { generateServiceLastAccessedDetails, getServiceLastAccessedDetails } from './iam-last-accessed.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { queryError, queryResponse } from './wire.js';
import { el, escapeXml, members, text } from './xml.js';

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
type Filter = (typeof FILTERS)[number];

function tags(list: TagTruth[]): string {
  return list.length === 0 ? '' : members('Tags', list.map((t) => text('Key', t.Key) + text('Value', t.Value)));
}

function roleXml(r: SyntheticRole, policyNames: ReadonlyMap<string, string>): string {
  const attached = members(
    'AttachedManagedPolicies',
    r.attachedPolicyArns.map((arn) => text('PolicyName', policyNames.get(arn) ?? arn.split('/').pop() ?? arn) + text('PolicyArn', arn)),
  );
  const profiles = members(
    'InstanceProfileList',
    r.instanceProfile
      ? [
          text('Path', r.instanceProfile.path) +
            text('InstanceProfileName', r.instanceProfile.name) +
            text('InstanceProfileId', r.instanceProfile.id) +
            text('Arn', r.instanceProfile.arn) +
            text('CreateDate', r.instanceProfile.createDate) +
            members('Roles', [
              text('Path', r.path) +
                text('RoleName', r.name) +
                text('RoleId', r.roleId) +
                text('Arn', r.arn) +
                text('CreateDate', r.createDate) +
                text('AssumeRolePolicyDocument', rfc3986Encode(r.trustPolicy.text)),
            ]),
        ]
      : [],
  );
  const boundary = r.permissionsBoundaryArn
    ? el('PermissionsBoundary', text('PermissionsBoundaryType', 'Policy') + text('PermissionsBoundaryArn', r.permissionsBoundaryArn))
    : '';
  const lastUsed = r.lastUsed ? el('RoleLastUsed', text('LastUsedDate', r.lastUsed.date) + text('Region', r.lastUsed.region)) : '<RoleLastUsed/>';
  return (
    text('Path', r.path) +
    text('RoleName', r.name) +
    text('RoleId', r.roleId) +
    text('Arn', r.arn) +
    text('CreateDate', r.createDate) +
    text('AssumeRolePolicyDocument', rfc3986Encode(r.trustPolicy.text)) +
    profiles +
    members('RolePolicyList', r.inlinePolicies.map((p) => text('PolicyName', p.name) + text('PolicyDocument', rfc3986Encode(p.text)))) +
    attached +
    boundary +
    tags(r.tags) +
    lastUsed
  );
}

function userXml(u: SyntheticUser, policyNames: ReadonlyMap<string, string>): string {
  return (
    text('Path', u.path) +
    text('UserName', u.name) +
    text('UserId', u.userId) +
    text('Arn', u.arn) +
    text('CreateDate', u.createDate) +
    members('GroupList', []) +
    members('AttachedManagedPolicies', u.attachedPolicyArns.map((arn) => text('PolicyName', policyNames.get(arn) ?? arn) + text('PolicyArn', arn))) +
    tags(u.tags)
  );
}

function policyXml(p: SyntheticManagedPolicy, attachments: number, boundaryUses: number): string {
  return (
    text('PolicyName', p.name) +
    text('PolicyId', p.policyId) +
    text('Arn', p.arn) +
    text('Path', p.path) +
    text('DefaultVersionId', p.defaultVersionId) +
    text('AttachmentCount', attachments) +
    text('PermissionsBoundaryUsageCount', boundaryUses) +
    text('IsAttachable', true) +
    text('Description', p.description) +
    text('CreateDate', p.createDate) +
    text('UpdateDate', p.updateDate) +
    members(
      'PolicyVersionList',
      p.versions.map((v) => text('Document', rfc3986Encode(v.text)) + text('VersionId', v.versionId) + text('IsDefaultVersion', v.isDefault) + text('CreateDate', v.createDate)),
    )
  );
}

type Item = { kind: 'user'; xml: string } | { kind: 'role'; xml: string } | { kind: 'policy'; xml: string };

function items(account: SyntheticAccount, filters: ReadonlySet<Filter>): Item[] {
  const names = new Map(account.managedPolicies.map((p) => [p.arn, p.name]));
  const attachments = new Map<string, number>();
  const boundaries = new Map<string, number>();
  for (const r of account.roles) {
    for (const a of r.attachedPolicyArns) attachments.set(a, (attachments.get(a) ?? 0) + 1);
    if (r.permissionsBoundaryArn) boundaries.set(r.permissionsBoundaryArn, (boundaries.get(r.permissionsBoundaryArn) ?? 0) + 1);
  }
  for (const u of account.users) for (const a of u.attachedPolicyArns) attachments.set(a, (attachments.get(a) ?? 0) + 1);

  const out: Item[] = [];
  if (filters.has('User')) for (const u of account.users) out.push({ kind: 'user', xml: userXml(u, names) });
  if (filters.has('Role')) for (const r of account.roles) out.push({ kind: 'role', xml: roleXml(r, names) });
  for (const p of account.managedPolicies) {
    const attached = attachments.get(p.arn) ?? 0;
    const bounded = boundaries.get(p.arn) ?? 0;
    if (p.awsManaged ? filters.has('AWSManagedPolicy') && attached + bounded > 0 : filters.has('LocalManagedPolicy')) {
      out.push({ kind: 'policy', xml: policyXml(p, attached, bounded) });
    }
  }
  return out;
}

function validation(message: string): ServiceError {
  return new ServiceError('ValidationError', message, 400);
}

function getAccountAuthorizationDetails(req: ApiRequest, params: URLSearchParams, account: SyntheticAccount): HttpResponse {
  const requested = memberList(params, 'Filter');
  for (const f of requested) {
    if (!(FILTERS as readonly string[]).includes(f)) {
      throw validation(`1 validation error detected: Value '[${requested.join(', ')}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [LocalManagedPolicy, Role, Group, AWSManagedPolicy, User]]`);
    }
  }
  const filters = new Set<Filter>(requested.length > 0 ? (requested as Filter[]) : FILTERS);
  const maxRaw = params.get('MaxItems');
  const max = maxRaw === null ? 100 : Number(maxRaw);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw validation(`1 validation error detected: Value '${maxRaw ?? ''}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`);
  }
  const context = [...filters].sort().join(',');
  const marker = params.get('Marker');
  const start = marker === null ? 0 : decodeMarker(marker, context);
  if (start === undefined) throw validation('Invalid Marker.');

  const all = items(account, filters);
  const page = all.slice(start, start + max);
  const next = start + page.length;
  const truncated = next < all.length;
  const of = (kind: Item['kind']) => page.filter((i) => i.kind === kind).map((i) => i.xml);
  const result =
    members('UserDetailList', of('user')) +
    members('GroupDetailList', []) +
    members('RoleDetailList', of('role')) +
    members('Policies', of('policy')) +
    text('IsTruncated', truncated) +
    (truncated ? text('Marker', encodeMarker(next, context)) : '');
  return queryResponse('GetAccountAuthorizationDetails', NS, result, req.requestId);
}

function listAccountAliases(req: ApiRequest, account: SyntheticAccount): HttpResponse {
  const aliases = account.alias ? [account.alias] : [];
  return queryResponse('ListAccountAliases', NS, members('AccountAliases', aliases.map((a) => escapeXml(a))) + text('IsTruncated', false), req.requestId);
}

export const iamService: ServiceModule = {
  name: 'iam',
  operation: (raw: RawRequest) => queryParams(raw).get('Action') ?? 'Unknown',
  handle(req: ApiRequest, state: EmulatorState): HttpResponse {
    const params = queryParams(req);
    const account = state.accounts.get(req.principal.accountId);
    if (!account) throw new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    switch (req.operation) {
      case 'GetAccountAuthorizationDetails':
        return getAccountAuthorizationDetails(req, params, account);
      case 'ListAccountAliases':
        return listAccountAliases(req, account);
      case 'GenerateServiceLastAccessedDetails':
        return generateServiceLastAccessedDetails(req, params, account, state, NS);
      case 'GetServiceLastAccessedDetails':
        return getServiceLastAccessedDetails(req, params, account, state, NS);
      default:
        throw new ServiceError('InvalidAction', `Could not find operation ${req.operation} for version 2010-05-08`, 400);
    }
  },
  renderError: (err, _raw, requestId) => queryError(err, NS, requestId),
};

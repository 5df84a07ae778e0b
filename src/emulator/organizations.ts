/**
 * AWS Organizations over awsJson1_1: DescribeOrganization (any account of the org); ListAccounts,
 * DescribeAccount, the tree (ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent, ListParents)
 * and ListTagsForResource (management account only, as without delegated administration). Lists page with
 * MaxResults (1-20) and NextToken as AWS does.
 */
import { ServiceError, header, type ApiRequest, type HttpResponse } from './http-types.js';
import { epochSeconds, num, parseJsonBody, str } from './json-body.js';
import type { SyntheticAccount } from './org-types.js';
import { decodeMarker, encodeMarker } from './query-params.js';
import { accessDenied } from './service-errors.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { jsonError, jsonResponse } from './wire.js';

const TARGET_PREFIX = 'AWSOrganizationsV20161128.';

function accountJson(a: SyntheticAccount, state: EmulatorState): Record<string, unknown> {
  const org = state.org.organization;
  return {
    Id: a.id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${a.id}`,
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: epochSeconds(a.joinedTimestamp),
  };
}

function requireManagement(req: ApiRequest, state: EmulatorState): void {
  if (req.principal.accountId !== state.org.organization.managementAccountId) {
    throw accessDenied('organizations', req.principal.arn, `organizations:${req.operation}`);
  }
}

function invalidInput(message: string, reason: string): ServiceError {
  return new ServiceError('InvalidInputException', message, 400, { fields: { Reason: reason } });
}

/**
 * One page of `all` under the request's MaxResults and NextToken. `context` binds a token to the list it
 * came from (and its parent), so a token from another list is refused as AWS refuses it.
 */
function page<T>(body: Record<string, unknown>, all: readonly T[], context: string, pageSize?: number): { items: T[]; nextToken?: string } {
  const max = pageSize ?? num(body, 'MaxResults') ?? 20;
  if (!Number.isInteger(max) || max < 1 || max > 20) throw invalidInput('You provided a value that does not match the required pattern.', 'INVALID_INPUT');
  const token = str(body, 'NextToken');
  const start = token === undefined ? 0 : decodeMarker(token, context);
  if (start === undefined) throw invalidInput('The provided NextToken is not valid.', 'INVALID_NEXT_TOKEN');
  const items = all.slice(start, start + max);
  const next = start + items.length;
  return { items, ...(next < all.length ? { nextToken: encodeMarker(next, context) } : {}) };
}

function listAccounts(req: ApiRequest, state: EmulatorState): HttpResponse {
  requireManagement(req, state);
  const { items, nextToken } = page(parseJsonBody(req.body), [...state.accounts.values()], 'accounts');
  return jsonResponse({ Accounts: items.map((a) => accountJson(a, state)), ...(nextToken ? { NextToken: nextToken } : {}) }, req.requestId);
}

function requireParent(state: EmulatorState, parentId: string): void {
  const o = state.org.organization;
  if (parentId !== o.root.id && !o.organizationalUnits.some((u) => u.id === parentId)) {
    throw new ServiceError('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.", 400);
  }
}

function listRoots(req: ApiRequest, state: EmulatorState): HttpResponse {
  requireManagement(req, state);
  const root = state.org.organization.root;
  const { items, nextToken } = page(parseJsonBody(req.body), [root], 'roots');
  return jsonResponse(
    {
      Roots: items.map((r) => ({ Id: r.id, Arn: r.arn, Name: r.name, PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    },
    req.requestId,
  );
}

function listOrganizationalUnitsForParent(req: ApiRequest, state: EmulatorState): HttpResponse {
  requireManagement(req, state);
  const body = parseJsonBody(req.body);
  const parentId = str(body, 'ParentId') ?? '';
  requireParent(state, parentId);
  const children = state.org.organization.organizationalUnits.filter((u) => u.parentId === parentId);
  const { items, nextToken } = page(body, children, `ous:${parentId}`);
  return jsonResponse({ OrganizationalUnits: items.map((u) => ({ Id: u.id, Arn: u.arn, Name: u.name })), ...(nextToken ? { NextToken: nextToken } : {}) }, req.requestId);
}

function listAccountsForParent(req: ApiRequest, state: EmulatorState): HttpResponse {
  requireManagement(req, state);
  const body = parseJsonBody(req.body);
  const parentId = str(body, 'ParentId') ?? '';
  requireParent(state, parentId);
  const children = [...state.accounts.values()].filter((a) => a.parentId === parentId);
  const { items, nextToken } = page(body, children, `accounts:${parentId}`);
  return jsonResponse({ Accounts: items.map((a) => accountJson(a, state)), ...(nextToken ? { NextToken: nextToken } : {}) }, req.requestId);
}

function listParents(req: ApiRequest, state: EmulatorState): HttpResponse {
  requireManagement(req, state);
  const body = parseJsonBody(req.body);
  const childId = str(body, 'ChildId') ?? '';
  const o = state.org.organization;
  const parentId = state.accounts.get(childId)?.parentId ?? o.organizationalUnits.find((u) => u.id === childId)?.parentId;
  if (!parentId) throw new ServiceError('ChildNotFoundException', "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.", 400);
  const { items, nextToken } = page(body, [parentId], `parents:${childId}`);
  return jsonResponse(
    { Parents: items.map((id) => ({ Id: id, Type: id.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' })), ...(nextToken ? { NextToken: nextToken } : {}) },
    req.requestId,
  );
}

/** Tags come back a few at a time, so a collector that ignores NextToken misses some. */
const TAGS_PAGE = 2;

function listTagsForResource(req: ApiRequest, state: EmulatorState): HttpResponse {
  requireManagement(req, state);
  const body = parseJsonBody(req.body);
  const id = str(body, 'ResourceId') ?? '';
  const tags = state.accounts.get(id)?.tags ?? (id === state.org.organization.root.id || state.org.organization.organizationalUnits.some((u) => u.id === id) ? [] : undefined);
  if (!tags) throw new ServiceError('TargetNotFoundException', "We can't find a root, OU, account, or policy with the TargetId that you specified.", 400);
  const { items, nextToken } = page({ ...body, MaxResults: undefined }, tags, `tags:${id}`, TAGS_PAGE);
  return jsonResponse({ Tags: items.map((t) => ({ Key: t.Key, Value: t.Value })), ...(nextToken ? { NextToken: nextToken } : {}) }, req.requestId);
}

function describeAccount(req: ApiRequest, state: EmulatorState): HttpResponse {
  requireManagement(req, state);
  const id = str(parseJsonBody(req.body), 'AccountId') ?? '';
  const a = state.accounts.get(id);
  if (!a) throw new ServiceError('AccountNotFoundException', 'You specified an account that doesn\'t exist.', 400);
  return jsonResponse({ Account: accountJson(a, state) }, req.requestId);
}

function describeOrganization(req: ApiRequest, state: EmulatorState): HttpResponse {
  const o = state.org.organization;
  return jsonResponse(
    {
      Organization: {
        Id: o.id,
        Arn: o.arn,
        FeatureSet: o.featureSet,
        MasterAccountArn: o.managementAccountArn,
        MasterAccountId: o.managementAccountId,
        MasterAccountEmail: o.managementAccountEmail,
        AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      },
    },
    req.requestId,
  );
}

export const organizationsService: ServiceModule = {
  name: 'organizations',
  operation(raw: RawRequest): string {
    const target = header(raw.headers, 'x-amz-target') ?? '';
    return target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : 'Unknown';
  },
  handle(req, state) {
    switch (req.operation) {
      case 'DescribeOrganization':
        return describeOrganization(req, state);
      case 'ListAccounts':
        return listAccounts(req, state);
      case 'DescribeAccount':
        return describeAccount(req, state);
      case 'ListRoots':
        return listRoots(req, state);
      case 'ListOrganizationalUnitsForParent':
        return listOrganizationalUnitsForParent(req, state);
      case 'ListAccountsForParent':
        return listAccountsForParent(req, state);
      case 'ListParents':
        return listParents(req, state);
      case 'ListTagsForResource':
        return listTagsForResource(req, state);
      default:
        throw new ServiceError('UnknownOperationException', `Operation ${req.operation} is not supported by this emulator.`, 400);
    }
  },
  renderError: (err, _raw, requestId) => jsonError(err, requestId, { messageKey: 'Message' }),
};

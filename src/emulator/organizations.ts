/**
 * AWS Organizations over awsJson1_1: DescribeOrganization (any account of the org), ListAccounts and
 * DescribeAccount (management account only, as without delegated administration).
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

function listAccounts(req: ApiRequest, state: EmulatorState): HttpResponse {
  requireManagement(req, state);
  const body = parseJsonBody(req.body);
  const max = num(body, 'MaxResults') ?? 20;
  if (!Number.isInteger(max) || max < 1 || max > 20) {
    throw new ServiceError('InvalidInputException', 'You provided a value that does not match the required pattern.', 400, { fields: { Reason: 'INVALID_INPUT' } });
  }
  const token = str(body, 'NextToken');
  const start = token === undefined ? 0 : decodeMarker(token, 'accounts');
  if (start === undefined) {
    throw new ServiceError('InvalidInputException', 'The provided NextToken is not valid.', 400, { fields: { Reason: 'INVALID_NEXT_TOKEN' } });
  }
  const all = [...state.accounts.values()];
  const page = all.slice(start, start + max);
  const next = start + page.length;
  return jsonResponse({ Accounts: page.map((a) => accountJson(a, state)), ...(next < all.length ? { NextToken: encodeMarker(next, 'accounts') } : {}) }, req.requestId);
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
      default:
        throw new ServiceError('UnknownOperationException', `Operation ${req.operation} is not supported by this emulator.`, 400);
    }
  },
  renderError: (err, _raw, requestId) => jsonError(err, requestId, { messageKey: 'Message' }),
};

/**
 * STS over awsQuery: GetCallerIdentity and AssumeRole. AssumeRole checks the role exists, the target
 * account is not configured to refuse, and the role's trust policy admits the caller (ExternalId
 * included); the credentials it returns sign later requests as that role, in that account.
 */
import { ServiceError, type ApiRequest, type HttpResponse } from './http-types.js';
import { queryParams } from './query-params.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { trustAllows } from './trust-eval.js';
import { queryError, queryResponse } from './wire.js';
import { el, text } from './xml.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007e]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function validation(message: string): ServiceError {
  return new ServiceError('ValidationError', message, 400);
}

function getCallerIdentity(req: ApiRequest): HttpResponse {
  const p = req.principal;
  return queryResponse('GetCallerIdentity', NS, text('Arn', p.arn) + text('UserId', p.userId) + text('Account', p.accountId), req.requestId);
}

function assumeRole(req: ApiRequest, state: EmulatorState): HttpResponse {
  const params = queryParams(req);
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  if (!roleArn) throw validation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  if (!sessionName) throw validation("1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(`1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  const m = ROLE_ARN.exec(roleArn);
  if (!m) throw validation(`${roleArn} is invalid`);
  const durationRaw = params.get('DurationSeconds');
  const duration = durationRaw === null ? 3600 : Number(durationRaw);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw validation(`1 validation error detected: Value '${durationRaw ?? ''}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`);
  }

  const caller = req.principal;
  const targetId = m[1] ?? '';
  const account = state.accounts.get(targetId);
  const role = account?.status === 'ACTIVE' ? account.roles.find((r) => r.arn === roleArn) : undefined;
  if (!role || state.faults.deniesAssumeRoleInto(targetId)) {
    throw new ServiceError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  const externalId = params.get('ExternalId') ?? undefined;
  const inOrg = state.accounts.get(caller.accountId)?.status === 'ACTIVE';
  const allowed = trustAllows(role.trustPolicy.document, {
    callerAccountId: caller.accountId,
    callerArn: caller.roleArn ?? caller.arn,
    ...(inOrg ? { principalOrgId: state.org.organization.id } : {}),
    ...(externalId !== undefined ? { externalId } : {}),
    mfa: false,
    action: 'sts:AssumeRole',
  });
  if (!allowed) {
    throw new ServiceError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  if (duration > role.maxSessionDuration) {
    throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  if (caller.type === 'AssumedRole' && duration > 3600) {
    throw validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  const session = state.credentials.issueSession(role, sessionName, duration, state.clock());
  const result =
    el(
      'Credentials',
      text('AccessKeyId', session.accessKeyId),
      text('SecretAccessKey', session.secretAccessKey),
      text('SessionToken', session.sessionToken),
      text('Expiration', session.expiration?.toISOString()),
    ) + el('AssumedRoleUser', text('AssumedRoleId', session.userId), text('Arn', session.arn));
  return queryResponse('AssumeRole', NS, result, req.requestId);
}

export const stsService: ServiceModule = {
  name: 'sts',
  operation: (raw: RawRequest) => queryParams(raw).get('Action') ?? 'Unknown',
  handle(req, state) {
    switch (req.operation) {
      case 'GetCallerIdentity':
        return getCallerIdentity(req);
      case 'AssumeRole':
        return assumeRole(req, state);
      default:
        throw new ServiceError('InvalidAction', `Could not find operation ${req.operation} for version 2011-06-15`, 400);
    }
  },
  renderError: (err, _raw, requestId) => queryError(err, NS, requestId),
};

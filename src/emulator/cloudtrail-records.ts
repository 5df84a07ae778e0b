/**
 * CloudTrail records for STS role assumptions, shaped like the examples in the CloudTrail and IAM user
 * guides: the role owner's copy of a cross-account call names only the caller's account and principal id
 * (userIdentity type AWSAccount); the caller's own copy carries the full identity; both share sharedEventID.
 */
import type { CallerType, EventTruth, Json, SyntheticEvent } from './org-types.js';
import type { Rng } from './prng.js';
import { IAM_ID_ALPHABET } from './prng.js';
import type { AwsIdentity } from './role-spec.js';

export interface RoleRef {
  accountId: string;
  arn: string;
  name: string;
  roleId: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** CloudTrail writes credential expiry in this Java-style format, e.g. "Nov 25, 2026, 7:03:45 AM". */
export function cloudTrailExpiration(d: Date): string {
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

export function isoSeconds(d: Date): string {
  // slice, not a regex: this runs for every synthetic event (a million in the largest benchmark).
  return d.toISOString().slice(0, 19) + 'Z';
}

function stsHost(region: string): string {
  return region === 'us-east-1' ? 'sts.amazonaws.com' : `sts.${region}.amazonaws.com`;
}

function tempKey(rng: Rng): string {
  return 'ASIA' + rng.chars(IAM_ID_ALPHABET.replace(/[0-1]/g, ''), 16);
}

/** The access key a long-lived user signs with: stable per user. */
export function userAccessKey(identity: AwsIdentity): string {
  let h = 0;
  for (const c of identity.arn) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  let s = '';
  for (let i = 0; i < 16; i++) {
    h = (Math.imul(h ^ (h >>> 13), 0x5bd1e995) + i) >>> 0;
    s += IAM_ID_ALPHABET[h % IAM_ID_ALPHABET.length];
  }
  return 'AKIA' + s;
}

interface Common {
  rng: Rng;
  role: RoleRef;
  time: Date;
  region: string;
  sessionName: string;
}

interface Built {
  record: Record<string, Json>;
  /** The new session's access key (absent for refused calls). */
  issuedKey?: string;
  assumedRoleId?: string;
}

function credentials(c: Common): { creds: Json; key: string } {
  const key = tempKey(c.rng);
  const expiry = new Date(c.time.getTime() + 3600_000);
  return {
    key,
    creds: { accessKeyId: key, sessionToken: `IQoJb3JpZ2luX2Vj${c.rng.chars(IAM_ID_ALPHABET, 40)}`, expiration: cloudTrailExpiration(expiry) },
  };
}

function assumedRoleUser(c: Common): { arn: string; assumedRoleId: string } {
  return {
    assumedRoleId: `${c.role.roleId}:${c.sessionName}`,
    arn: `arn:aws:sts::${c.role.accountId}:assumed-role/${c.role.name}/${c.sessionName}`,
  };
}

function envelope(
  c: Common,
  eventName: string,
  userIdentity: Json,
  sourceIPAddress: string,
  userAgent: string,
  requestParameters: Json,
  responseElements: Json,
  recipient: string,
  extra: { sharedEventID?: string; error?: { code: string; message: string }; tls?: boolean },
): Record<string, Json> {
  const r: Record<string, Json> = {
    eventVersion: '1.08',
    userIdentity,
    eventTime: isoSeconds(c.time),
    eventSource: 'sts.amazonaws.com',
    eventName,
    awsRegion: c.region,
    sourceIPAddress,
    userAgent,
  };
  if (extra.error) {
    r['errorCode'] = extra.error.code;
    r['errorMessage'] = extra.error.message;
  }
  r['requestParameters'] = requestParameters;
  r['responseElements'] = responseElements;
  r['requestID'] = c.rng.uuid();
  r['eventID'] = c.rng.uuid();
  r['readOnly'] = true;
  r['resources'] = [{ accountId: c.role.accountId, type: 'AWS::IAM::Role', ARN: c.role.arn }];
  r['eventType'] = 'AwsApiCall';
  r['managementEvent'] = true;
  r['recipientAccountId'] = recipient;
  if (extra.sharedEventID) r['sharedEventID'] = extra.sharedEventID;
  r['eventCategory'] = 'Management';
  if (extra.tls !== false) {
    r['tlsDetails'] = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: stsHost(c.region) };
  }
  return r;
}

/** The full userIdentity of an IAM user or role session, as its own account records it. */
function fullIdentity(identity: AwsIdentity, callerSession: string, key: string, mfa: boolean, time: Date): Json {
  const creationDate = isoSeconds(new Date(time.getTime() - 600_000));
  if (identity.type === 'IAMUser') {
    const id: Record<string, Json> = {
      type: 'IAMUser',
      principalId: identity.uniqueId,
      arn: identity.arn,
      accountId: identity.accountId,
      accessKeyId: key,
      userName: identity.name,
    };
    if (mfa) id['sessionContext'] = { attributes: { creationDate, mfaAuthenticated: 'true' } };
    return id;
  }
  return {
    type: 'AssumedRole',
    principalId: `${identity.uniqueId}:${callerSession}`,
    arn: `arn:aws:sts::${identity.accountId}:assumed-role/${identity.name}/${callerSession}`,
    accountId: identity.accountId,
    accessKeyId: key,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: identity.uniqueId, arn: identity.arn, accountId: identity.accountId, userName: identity.name },
      webIdFederationData: {},
      attributes: { creationDate, mfaAuthenticated: mfa ? 'true' : 'false' },
    },
  };
}

function lookupResources(c: Common, built: Built): { ResourceType: string; ResourceName: string }[] {
  const out: { ResourceType: string; ResourceName: string }[] = [];
  if (built.issuedKey) out.push({ ResourceType: 'AWS::IAM::AccessKey', ResourceName: built.issuedKey });
  if (built.assumedRoleId) {
    out.push({ ResourceType: 'AWS::STS::AssumedRole', ResourceName: c.sessionName });
    out.push({ ResourceType: 'AWS::STS::AssumedRole', ResourceName: built.assumedRoleId });
  }
  out.push({ ResourceType: 'AWS::IAM::Role', ResourceName: c.role.arn });
  return out;
}

function toEvent(c: Common, eventName: string, built: Built, truth: EventTruth, lookup: { username?: string; accessKeyId?: string }): SyntheticEvent {
  const ev: SyntheticEvent = {
    eventId: String(built.record['eventID']),
    eventName,
    eventTime: isoSeconds(c.time),
    eventSource: 'sts.amazonaws.com',
    region: c.region,
    readOnly: 'true',
    resources: lookupResources(c, built),
    cloudTrailEvent: JSON.stringify(built.record),
    truth,
  };
  if (lookup.username !== undefined) ev.username = lookup.username;
  if (lookup.accessKeyId !== undefined) ev.accessKeyId = lookup.accessKeyId;
  return ev;
}

export interface AssumeRoleCall extends Common {
  caller: AwsIdentity;
  /** The caller's own session name when it is a role session. */
  callerSession: string;
  externalId?: string;
  mfa: boolean;
  denied: boolean;
  unexpected: boolean;
  /** Account ids of the organization: the caller's copy exists only when the caller is in it. */
  orgAccounts: ReadonlySet<string>;
}

/** AssumeRole by an IAM user or role session: one event, or two (owner's and caller's copies) across accounts. */
export function assumeRoleEvents(call: AssumeRoleCall): { owner: SyntheticEvent; callerCopy?: { accountId: string; event: SyntheticEvent } } {
  const { caller, role } = call;
  const crossAccount = caller.accountId !== role.accountId;
  const callerKey = caller.type === 'IAMUser' ? userAccessKey(caller) : tempKey(call.rng);
  const callerArn =
    caller.type === 'IAMUser' ? caller.arn : `arn:aws:sts::${caller.accountId}:assumed-role/${caller.name}/${call.callerSession}`;
  const principalId = caller.type === 'IAMUser' ? caller.uniqueId : `${caller.uniqueId}:${call.callerSession}`;
  const requestParameters: Record<string, Json> = { roleArn: role.arn, roleSessionName: call.sessionName };
  if (call.externalId !== undefined) requestParameters['externalId'] = call.externalId;
  if (call.mfa && caller.type === 'IAMUser') {
    requestParameters['serialNumber'] = `arn:aws:iam::${caller.accountId}:mfa/${caller.name}`;
  }
  requestParameters['durationSeconds'] = 3600;

  let responseElements: Json = null;
  let issuedKey: string | undefined;
  let assumedRoleId: string | undefined;
  let error: { code: string; message: string } | undefined;
  if (call.denied) {
    error = { code: 'AccessDenied', message: `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${role.arn}` };
  } else {
    const { creds, key } = credentials(call);
    const aru = assumedRoleUser(call);
    responseElements = { credentials: creds, assumedRoleUser: aru };
    issuedKey = key;
    assumedRoleId = aru.assumedRoleId;
  }
  const ip = call.rng.pick(caller.sourceIps);
  const sharedEventID = crossAccount ? call.rng.uuid() : undefined;
  const full = fullIdentity(caller, call.callerSession, callerKey, call.mfa, call.time);
  const ownerIdentity: Json = crossAccount ? { type: 'AWSAccount', principalId, accountId: caller.accountId } : full;
  const extra = { ...(sharedEventID ? { sharedEventID } : {}), ...(error ? { error } : {}) };
  const ownerRecord = envelope(call, 'AssumeRole', ownerIdentity, ip, caller.userAgent, requestParameters, responseElements, role.accountId, extra);

  const inOrg = call.orgAccounts.has(caller.accountId);
  const callerType: CallerType = crossAccount ? 'AWSAccount' : caller.type;
  const truth: EventTruth = {
    roleArn: role.arn,
    callerAccountId: caller.accountId,
    callerArn,
    callerType,
    mfa: call.mfa,
    success: !call.denied,
    copy: crossAccount && inOrg ? 'owner' : 'single',
    ...(call.externalId !== undefined ? { externalId: call.externalId } : {}),
    ...(call.unexpected ? { unexpectedCaller: true } : {}),
  };
  const username = crossAccount ? undefined : caller.type === 'IAMUser' ? caller.name : call.callerSession;
  const owner = toEvent(
    call,
    'AssumeRole',
    { record: ownerRecord, ...(issuedKey ? { issuedKey } : {}), ...(assumedRoleId ? { assumedRoleId } : {}) },
    truth,
    { ...(username !== undefined ? { username } : {}), ...(crossAccount ? {} : { accessKeyId: callerKey }) },
  );
  if (!crossAccount || !inOrg) return { owner };

  // The caller's account logs the same call with its full identity; same request, its own eventID.
  const callerRecord: Record<string, Json> = { ...ownerRecord, userIdentity: full, eventID: call.rng.uuid(), recipientAccountId: caller.accountId };
  const callerEvent = toEvent(
    call,
    'AssumeRole',
    { record: callerRecord, ...(issuedKey ? { issuedKey } : {}), ...(assumedRoleId ? { assumedRoleId } : {}) },
    { ...truth, callerType: caller.type, copy: 'caller' },
    { username: caller.type === 'IAMUser' ? caller.name : call.callerSession, accessKeyId: callerKey },
  );
  return { owner, callerCopy: { accountId: caller.accountId, event: callerEvent } };
}

/** Session names AWS services use when they assume a role for a resource. */
function serviceSessionName(rng: Rng, service: string, role: RoleRef): string {
  switch (service) {
    case 'lambda.amazonaws.com':
    case 'edgelambda.amazonaws.com':
      return role.name.replace(/-lambda(-\d+)?$/, '');
    case 'ec2.amazonaws.com':
      return `i-0${rng.hex(16)}`;
    case 'ecs-tasks.amazonaws.com':
      return rng.hex(32);
    case 'config.amazonaws.com':
      return 'AWSConfig-Describe';
    default:
      return `${service.split('.')[0] ?? 'aws'}-${rng.digits(10)}`;
  }
}

export function serviceAssumeEvent(rng: Rng, role: RoleRef, service: string, time: Date, region: string): SyntheticEvent {
  const c: Common = { rng, role, time, region, sessionName: serviceSessionName(rng, service, role) };
  const { creds, key } = credentials(c);
  const aru = assumedRoleUser(c);
  const record = envelope(
    c,
    'AssumeRole',
    { type: 'AWSService', invokedBy: service },
    service,
    service,
    { roleArn: role.arn, roleSessionName: c.sessionName },
    { credentials: creds, assumedRoleUser: aru },
    role.accountId,
    { tls: false },
  );
  return toEvent(c, 'AssumeRole', { record, issuedKey: key, assumedRoleId: aru.assumedRoleId }, { roleArn: role.arn, callerType: 'AWSService', callerArn: service, mfa: false, success: true, copy: 'single' }, {});
}

export interface WebIdentityCall {
  rng: Rng;
  role: RoleRef;
  time: Date;
  region: string;
  providerArn: string;
  subject: string;
  audience: string;
  userAgent: string;
  sourceIp: string;
  unexpected: boolean;
}

export function webIdentityEvent(call: WebIdentityCall): SyntheticEvent {
  const github = call.providerArn.endsWith('token.actions.githubusercontent.com');
  const sessionName = github ? 'GitHubActions' : String(call.time.getTime() * 1_000_000 + call.rng.int(0, 999_999));
  const c: Common = { rng: call.rng, role: call.role, time: call.time, region: call.region, sessionName };
  const { creds, key } = credentials(c);
  const aru = assumedRoleUser(c);
  const record = envelope(
    c,
    'AssumeRoleWithWebIdentity',
    {
      type: 'WebIdentityUser',
      principalId: `${call.providerArn}:${call.audience}:${call.subject}`,
      userName: call.subject,
      identityProvider: call.providerArn,
    },
    call.sourceIp,
    call.userAgent,
    { roleArn: call.role.arn, roleSessionName: sessionName, durationSeconds: 3600 },
    { credentials: creds, subjectFromWebIdentityToken: call.subject, assumedRoleUser: aru, provider: call.providerArn, audience: call.audience },
    call.role.accountId,
    {},
  );
  return toEvent(
    c,
    'AssumeRoleWithWebIdentity',
    { record, issuedKey: key, assumedRoleId: aru.assumedRoleId },
    {
      roleArn: call.role.arn,
      callerType: 'WebIdentityUser',
      callerArn: call.providerArn,
      mfa: false,
      success: true,
      copy: 'single',
      ...(call.unexpected ? { unexpectedCaller: true } : {}),
    },
    { username: call.subject },
  );
}

export interface SamlCall {
  rng: Rng;
  role: RoleRef;
  time: Date;
  region: string;
  providerArn: string;
  issuer: string;
  user: string;
  sourceIp: string;
  userAgent: string;
}

export function samlEvent(call: SamlCall): SyntheticEvent {
  const c: Common = { rng: call.rng, role: call.role, time: call.time, region: call.region, sessionName: call.user };
  const { creds, key } = credentials(c);
  const aru = assumedRoleUser(c);
  // IAM's name qualifier: a hash of issuer, account and provider name, base64 like the real ones.
  const nameQualifier = Buffer.from(`${call.issuer}|${call.role.accountId}|${call.providerArn}`).toString('base64').slice(0, 27) + '=';
  const record = envelope(
    c,
    'AssumeRoleWithSAML',
    { type: 'SAMLUser', principalId: `${nameQualifier}:${call.user}`, userName: call.user, identityProvider: nameQualifier },
    call.sourceIp,
    call.userAgent,
    {
      sAMLAssertionID: `_${call.rng.hex(32)}`,
      roleSessionName: call.user,
      durationSeconds: 3600,
      roleArn: call.role.arn,
      principalArn: call.providerArn,
    },
    {
      subjectType: 'persistent',
      issuer: call.issuer,
      credentials: creds,
      nameQualifier,
      assumedRoleUser: aru,
      subject: call.user,
      audience: 'https://signin.aws.amazon.com/saml',
    },
    call.role.accountId,
    {},
  );
  return toEvent(
    c,
    'AssumeRoleWithSAML',
    { record, issuedKey: key, assumedRoleId: aru.assumedRoleId },
    { roleArn: call.role.arn, callerType: 'SAMLUser', callerArn: call.providerArn, mfa: false, success: true, copy: 'single' },
    { username: call.user },
  );
}

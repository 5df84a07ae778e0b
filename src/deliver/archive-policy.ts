/**
 * What an archive bucket's policy guarantees, read from its Deny statements: TLS only, no object written
 * without If-None-Match (so nothing is overwritten, even by the writer), no deletes by the job's own role,
 * SSE-KMS with the archive key, nothing for principals outside the organization.
 *
 * Pure: the policy text and the caller come in, plain answers go out. A statement counts only when it is
 * certain to apply — an operator or condition key this module does not know makes the statement count for
 * nothing, so a guarantee is never claimed on a guess. Allow statements are not weighed: a bucket policy's
 * Allow cannot undo an explicit Deny, and what an Allow grants is the IAM side's business.
 */
const escapeRegExp = (s: string): string => s.replace(/[.+^${}()|[\]\\?*]/g, '\\$&');

type Strings = string | string[];

interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: Strings;
  NotAction?: Strings;
  Resource?: Strings;
  NotResource?: Strings;
  Condition?: Record<string, Record<string, unknown>>;
}

/** One request as a bucket policy would see it: who, what, on which resource, and the condition keys present. */
export interface PolicyRequest {
  /** The principal's ARN: a role's (arn:aws:iam::…:role/Name), a user's, or an account root. */
  principalArn: string;
  accountId: string;
  action: string;
  resource: string;
  /** Condition keys present in the request (lower-case names); a key that is absent is simply not here. */
  context: Readonly<Record<string, string>>;
  /** Keys the request carries but whose value the caller does not know (a condition on them decides nothing). */
  unknown?: readonly string[];
}

export interface ArchivePolicyFacts {
  tlsOnly: boolean;
  overwritesDenied: boolean;
  deletesDenied: boolean;
  /** undefined when no KMS key is configured, so there is nothing to require. */
  kmsKeyRequired?: boolean;
  outsideOrganizationDenied: boolean;
  /** The statement that would refuse the job's own write (conditional, encrypted, over TLS), if one does. */
  deniesOwnWrite?: string;
  /** Statements that were skipped because they use something this reader does not evaluate. */
  unevaluated: string[];
}

export class PolicyTextError extends Error {}

function list(v: Strings | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
}

function glob(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.split('?').map(escapeRegExp).join('.'))
    .join('.*');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's').test(value);
}

function parseStatements(policyText: string): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(policyText);
  } catch (e) {
    throw new PolicyTextError(`the bucket policy is not JSON (${(e as Error).message})`);
  }
  const raw = (doc as { Statement?: unknown } | null)?.Statement;
  const statements = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  if (statements.length === 0 || statements.some((s) => typeof s !== 'object' || s === null)) {
    throw new PolicyTextError('the bucket policy has no readable Statement list');
  }
  return statements as Statement[];
}

function coversAction(s: Statement, action: string): boolean {
  if (s.Action !== undefined) return list(s.Action).some((p) => glob(p, action, true));
  if (s.NotAction !== undefined) return !list(s.NotAction).some((p) => glob(p, action, true));
  return false;
}

function coversResource(s: Statement, resource: string): boolean {
  if (s.Resource !== undefined) return list(s.Resource).some((p) => glob(p, resource, false));
  if (s.NotResource !== undefined) return !list(s.NotResource).some((p) => glob(p, resource, false));
  return false;
}

/** Whether a Principal entry names this caller: everyone, its account, or its own ARN. */
function namesCaller(entry: string, req: PolicyRequest): boolean {
  return entry === '*' || entry === req.accountId || entry === `arn:aws:iam::${req.accountId}:root` || sameIdentity(entry, req.principalArn);
}

/** Role and user ARNs compare by account and name: an assumed role's session does not tell its path. */
function sameIdentity(a: string, b: string): boolean {
  const m = (arn: string) => /^arn:[^:]+:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
  const x = m(a);
  const y = m(b);
  return x && y ? x[1] === y[1] && x[2] === y[2] && x[3] === y[3] : a === b;
}

function principalEntries(p: unknown): string[] | undefined {
  if (p === '*') return ['*'];
  if (typeof p !== 'object' || p === null) return undefined;
  const aws = (p as Record<string, unknown>).AWS;
  return aws === undefined ? [] : list(aws as Strings);
}

function coversPrincipal(s: Statement, req: PolicyRequest): boolean | undefined {
  if (s.Principal !== undefined) {
    const entries = principalEntries(s.Principal);
    return entries === undefined ? undefined : entries.some((e) => namesCaller(e, req));
  }
  if (s.NotPrincipal !== undefined) {
    const entries = principalEntries(s.NotPrincipal);
    return entries === undefined ? undefined : !entries.some((e) => namesCaller(e, req));
  }
  return undefined;
}

const KNOWN_OPERATORS = new Set([
  'Null',
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  'Bool',
]);

/** One condition operator over one key; undefined when the operator is one this reader does not evaluate. */
function evaluateOperator(operator: string, present: string | undefined, values: string[]): boolean | undefined {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  if (!KNOWN_OPERATORS.has(base)) return undefined;
  if (base === 'Null') {
    const wantsAbsent = values.some((v) => v.toLowerCase() === 'true');
    return wantsAbsent === (present === undefined);
  }
  if (present === undefined) {
    if (ifExists) return true;
    // A negated operator matches a missing key; a positive one does not.
    return /Not/.test(base);
  }
  switch (base) {
    case 'StringEquals':
    case 'ArnEquals':
      return values.includes(present);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !values.includes(present);
    case 'StringEqualsIgnoreCase':
      return values.some((v) => v.toLowerCase() === present.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return !values.some((v) => v.toLowerCase() === present.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return values.some((v) => glob(v, present, false));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !values.some((v) => glob(v, present, false));
    case 'Bool':
      return values.some((v) => v.toLowerCase() === present.toLowerCase());
    default:
      return undefined;
  }
}

/** All of a statement's conditions (AND across operators and keys, OR across values); undefined if unknown. */
function conditionsHold(s: Statement, req: PolicyRequest): boolean | undefined {
  let unknown = false;
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    if (operator.startsWith('ForAllValues:') || operator.startsWith('ForAnyValue:')) {
      unknown = true;
      continue;
    }
    for (const [key, raw] of Object.entries(keys ?? {})) {
      const name = key.toLowerCase();
      const result = req.unknown?.includes(name) ? undefined : evaluateOperator(operator, req.context[name], list(raw as Strings));
      if (result === false) return false;
      if (result === undefined) unknown = true;
    }
  }
  return unknown ? undefined : true;
}

/** true: this statement denies the request; false: it does not; undefined: it cannot be told. */
export function statementDenies(s: Statement, req: PolicyRequest): boolean | undefined {
  if (s.Effect !== 'Deny') return false;
  if (!coversAction(s, req.action) || !coversResource(s, req.resource)) return false;
  const principal = coversPrincipal(s, req);
  if (principal !== true) return principal;
  return conditionsHold(s, req);
}

export interface ArchivePolicyQuestion {
  bucket: string;
  prefix: string;
  /** The identity the job runs as (role ARN, not the session's). */
  caller: { principalArn: string; accountId: string };
  /** The caller's organization, when known: without it a perimeter on aws:PrincipalOrgID cannot be weighed for the caller. */
  organizationId?: string;
  kmsKeyId?: string;
}

/**
 * The guarantees, each from one statement that makes the difference: it denies the bad request and lets
 * the job's own good request through, so a blanket Deny that stops everything is not mistaken for a rule.
 */
export function judgeArchivePolicy(policyText: string, q: ArchivePolicyQuestion): ArchivePolicyFacts {
  const statements = parseStatements(policyText);
  // Any key under the prefix stands for them all: the archive writes nowhere else.
  const objectArn = `arn:aws:s3:::${q.bucket}/${q.prefix.replace(/^\/+|\/+$/g, '')}/scope/run/review.json`;
  const good: Record<string, string> = {
    'aws:securetransport': 'true',
    'aws:principalarn': q.caller.principalArn,
    'aws:principalaccount': q.caller.accountId,
    'aws:principalisawsservice': 'false',
    's3:if-none-match': '*',
    ...(q.organizationId ? { 'aws:principalorgid': q.organizationId } : {}),
    ...(q.kmsKeyId ? { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': q.kmsKeyId } : {}),
  };
  const unknown = q.organizationId ? [] : ['aws:principalorgid'];
  const asCaller = (action: string, context: Record<string, string>): PolicyRequest => ({ ...q.caller, action, resource: objectArn, context, unknown });
  const without = (key: string): Record<string, string> => Object.fromEntries(Object.entries(good).filter(([k]) => k !== key));
  const unevaluated = new Set<string>();
  const label = (s: Statement, i: number) => s.Sid ?? `statement ${i + 1}`;

  /** Some statement denies `bad` and does not deny `fine`. */
  const makesTheDifference = (bad: PolicyRequest, fine?: PolicyRequest): boolean =>
    statements.some((s, i) => {
      const denies = statementDenies(s, bad);
      if (denies === undefined) unevaluated.add(label(s, i));
      if (denies !== true) return false;
      return fine === undefined || statementDenies(s, fine) === false;
    });

  const put = (ctx: Record<string, string>) => asCaller('s3:PutObject', ctx);
  const tlsOnly = makesTheDifference(asCaller('s3:GetObject', { ...good, 'aws:securetransport': 'false' }), asCaller('s3:GetObject', good));
  const overwritesDenied = makesTheDifference(put(without('s3:if-none-match')), put(good));
  const deletesDenied =
    makesTheDifference(asCaller('s3:DeleteObject', good)) && makesTheDifference(asCaller('s3:DeleteObjectVersion', good));
  const kmsKeyRequired = q.kmsKeyId
    ? makesTheDifference(put({ ...good, 's3:x-amz-server-side-encryption': 'AES256', 's3:x-amz-server-side-encryption-aws-kms-key-id': '' }), put(good)) &&
      makesTheDifference(put(without('s3:x-amz-server-side-encryption-aws-kms-key-id')), put(good))
    : undefined;
  const outsider: PolicyRequest = {
    principalArn: 'arn:aws:iam::999999999999:role/Outsider',
    accountId: '999999999999',
    action: 's3:GetObject',
    resource: objectArn,
    context: { 'aws:securetransport': 'true', 'aws:principalorgid': 'o-outsider0000', 'aws:principalaccount': '999999999999', 'aws:principalisawsservice': 'false' },
  };
  const outsideOrganizationDenied = statements.some(
    (s) => Object.values(s.Condition ?? {}).some((keys) => Object.keys(keys ?? {}).some((k) => k.toLowerCase() === 'aws:principalorgid')) && statementDenies(s, outsider) === true,
  );
  const ownWrite = put(good);
  const blocker = statements.findIndex((s) => statementDenies(s, ownWrite) === true);
  return {
    ...(blocker >= 0 ? { deniesOwnWrite: label(statements[blocker] as Statement, blocker) } : {}),
    tlsOnly,
    overwritesDenied,
    deletesDenied,
    ...(kmsKeyRequired !== undefined ? { kmsKeyRequired } : {}),
    outsideOrganizationDenied,
    unevaluated: [...unevaluated].sort(),
  };
}

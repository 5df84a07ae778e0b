/**
 * Parses an IAM policy document (already URL-decoded and JSON-parsed by the collector) into statements with
 * every element normalised to arrays of strings. A document IAM would not have accepted yields an error
 * message naming the statement and the element, so the report can show the gap instead of guessing.
 */

export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';
const PRINCIPAL_TYPES: readonly PrincipalType[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

export interface PrincipalEntry {
  /** '*' is the bare `"Principal": "*"` form. */
  type: PrincipalType | '*';
  value: string;
}

export interface ConditionEntry {
  /** As written, e.g. "ForAnyValue:StringLike". */
  operator: string;
  /** As written, e.g. "token.actions.githubusercontent.com:sub". */
  key: string;
  values: string[];
}

export interface PolicyStatement {
  /** Position in the Statement array, 0-based. */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principals?: PrincipalEntry[];
  notPrincipals?: PrincipalEntry[];
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  conditions: ConditionEntry[];
  /** The Condition block with values normalised to string arrays, kept as evidence. */
  conditionBlock: Record<string, Record<string, string[]>>;
}

export type ParsedPolicy =
  | { ok: true; version?: string; statements: PolicyStatement[] }
  | { ok: false; error: string };

export interface ParseOptions {
  /** Trust (resource) policies must name a principal; identity policies must not. */
  requirePrincipal: boolean;
}

class PolicyError extends Error {}

export function parsePolicyDocument(document: unknown, options: ParseOptions): ParsedPolicy {
  try {
    return { ok: true, ...parseDocument(document, options) };
  } catch (error) {
    if (error instanceof PolicyError) return { ok: false, error: error.message };
    throw error;
  }
}

function parseDocument(document: unknown, options: ParseOptions): { version?: string; statements: PolicyStatement[] } {
  const value = typeof document === 'string' ? parseJsonText(document) : document;
  if (!isRecord(value)) {
    throw new PolicyError(`The policy is not a JSON object (found ${describe(value)}).`);
  }
  const version = value['Version'];
  if (version !== undefined && typeof version !== 'string') {
    throw new PolicyError(`The policy's Version is ${describe(version)}, not a string.`);
  }
  const raw = value['Statement'];
  if (raw === undefined) throw new PolicyError('The policy has no Statement element.');
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new PolicyError('The policy has an empty Statement list.');
  const statements = list.map((statement, index) => parseStatement(statement, index, options));
  return version === undefined ? { statements } : { version, statements };
}

function parseJsonText(text: string): unknown {
  // The collector decodes documents; a string here means a step was skipped, so try the usual encodings.
  const candidates = [text];
  if (/%[0-9a-fA-F]{2}/.test(text)) {
    try {
      candidates.unshift(decodeURIComponent(text));
    } catch {
      // not URL-encoded after all
    }
  }
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next candidate
    }
  }
  throw new PolicyError('The policy is a string that is not valid JSON.');
}

function parseStatement(raw: unknown, index: number, options: ParseOptions): PolicyStatement {
  const where = `Statement ${index + 1}`;
  if (!isRecord(raw)) throw new PolicyError(`${where} is ${describe(raw)}, not an object.`);
  const sidValue = raw['Sid'];
  if (sidValue !== undefined && typeof sidValue !== 'string') {
    throw new PolicyError(`${where} has a Sid that is not a string.`);
  }
  const label = sidValue ? `${where} ("${sidValue}")` : where;

  const effectValue = raw['Effect'];
  const effect =
    typeof effectValue === 'string' && effectValue.toLowerCase() === 'allow'
      ? 'Allow'
      : typeof effectValue === 'string' && effectValue.toLowerCase() === 'deny'
        ? 'Deny'
        : undefined;
  if (!effect) throw new PolicyError(`${label} has Effect ${describe(effectValue)}; expected "Allow" or "Deny".`);

  const statement: PolicyStatement = { index, effect, conditions: [], conditionBlock: {} };
  if (sidValue) statement.sid = sidValue;

  const hasPrincipal = raw['Principal'] !== undefined;
  const hasNotPrincipal = raw['NotPrincipal'] !== undefined;
  if (hasPrincipal && hasNotPrincipal) throw new PolicyError(`${label} has both Principal and NotPrincipal.`);
  if (options.requirePrincipal && !hasPrincipal && !hasNotPrincipal) {
    throw new PolicyError(`${label} names no Principal; a trust policy statement must say whom it trusts.`);
  }
  if (hasPrincipal) statement.principals = parsePrincipal(raw['Principal'], `${label} Principal`);
  if (hasNotPrincipal) statement.notPrincipals = parsePrincipal(raw['NotPrincipal'], `${label} NotPrincipal`);

  const hasAction = raw['Action'] !== undefined;
  const hasNotAction = raw['NotAction'] !== undefined;
  if (hasAction === hasNotAction) {
    throw new PolicyError(`${label} must have exactly one of Action and NotAction.`);
  }
  if (hasAction) statement.actions = stringList(raw['Action'], `${label} Action`);
  if (hasNotAction) statement.notActions = stringList(raw['NotAction'], `${label} NotAction`);

  if (raw['Resource'] !== undefined && raw['NotResource'] !== undefined) {
    throw new PolicyError(`${label} has both Resource and NotResource.`);
  }
  if (raw['Resource'] !== undefined) statement.resources = stringList(raw['Resource'], `${label} Resource`);
  if (raw['NotResource'] !== undefined) {
    statement.notResources = stringList(raw['NotResource'], `${label} NotResource`);
  }

  if (raw['Condition'] !== undefined) {
    const { entries, block } = parseCondition(raw['Condition'], `${label} Condition`);
    statement.conditions = entries;
    statement.conditionBlock = block;
  }
  return statement;
}

function parsePrincipal(raw: unknown, where: string): PrincipalEntry[] {
  if (raw === '*') return [{ type: '*', value: '*' }];
  if (!isRecord(raw)) throw new PolicyError(`${where} is ${describe(raw)}; expected "*" or an object.`);
  const entries: PrincipalEntry[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const type = PRINCIPAL_TYPES.find((t) => t.toLowerCase() === key.toLowerCase());
    if (!type) {
      throw new PolicyError(`${where} has the key "${key}"; expected one of ${PRINCIPAL_TYPES.join(', ')}.`);
    }
    for (const item of stringList(value, `${where} ${key}`)) entries.push({ type, value: item });
  }
  if (entries.length === 0) throw new PolicyError(`${where} is empty.`);
  return entries;
}

function parseCondition(
  raw: unknown,
  where: string,
): { entries: ConditionEntry[]; block: Record<string, Record<string, string[]>> } {
  if (!isRecord(raw)) throw new PolicyError(`${where} is ${describe(raw)}, not an object.`);
  const entries: ConditionEntry[] = [];
  const block: Record<string, Record<string, string[]>> = {};
  for (const [operator, keys] of Object.entries(raw)) {
    if (!isRecord(keys)) {
      throw new PolicyError(`${where} operator ${operator} holds ${describe(keys)}, not an object of keys.`);
    }
    const normalised: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(keys)) {
      const values = scalarList(value, `${where} ${operator} ${key}`);
      normalised[key] = values;
      entries.push({ operator, key, values });
    }
    block[operator] = normalised;
  }
  return { entries, block };
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new PolicyError(`${where} is an empty list.`);
  return list.map((item) => {
    if (typeof item !== 'string') throw new PolicyError(`${where} contains ${describe(item)}, not a string.`);
    return item;
  });
}

/** Condition values may be JSON booleans or numbers (`"Bool": {"aws:SecureTransport": false}`). */
function scalarList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'boolean' || typeof item === 'number') return String(item);
    throw new PolicyError(`${where} contains ${describe(item)}; expected strings, numbers or booleans.`);
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `a ${typeof value}`;
}

/**
 * Turns identity-policy documents into normalised statements. A document or statement IAM would have
 * rejected becomes a gap with a reason instead of a guess: the summary is then honest about being partial.
 */
import type { ConditionBlock, ParsedStatement, PolicyInput, PolicyRef, PolicyRole } from './types.js';
import { variablesWithoutDefault } from '../policy/conditions.js';

export interface ParsedPolicies {
  statements: ParsedStatement[];
  gaps: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string-or-list element; undefined when the shape is wrong. */
function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  return undefined;
}

function conditionValues(value: unknown): string[] | undefined {
  const scalar = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  if (Array.isArray(value)) {
    const out = value.map(scalar);
    return out.every((v): v is string => v !== undefined) ? out : undefined;
  }
  const one = scalar(value);
  return one === undefined ? undefined : [one];
}

function parseConditions(value: unknown): ConditionBlock | string {
  if (value === undefined) return {};
  if (!isRecord(value)) return 'Condition is not an object';
  const block: ConditionBlock = {};
  for (const [operator, entries] of Object.entries(value)) {
    if (!isRecord(entries)) return `Condition operator ${operator} is not an object`;
    const keyed: Record<string, string[]> = {};
    for (const [key, raw] of Object.entries(entries)) {
      const values = conditionValues(raw);
      if (values === undefined) return `Condition ${operator} ${key} has values that are not strings`;
      keyed[key] = values;
    }
    block[operator] = keyed;
  }
  return block;
}

const POLICY_VARIABLE = /\$\{[^}]*\}/g;

/**
 * Policy variables make the resource depend on the request, so they are widened to `*` (an over-
 * approximation the caller marks as conditional). The escapes ${*}, ${?} and ${$} stand for literal
 * characters; a literal `*` cannot be told apart from a wildcard here, so it is widened the same way.
 */
function widenPolicyVariables(pattern: string): { pattern: string; widened: boolean } {
  let widened = false;
  const out = pattern.replace(POLICY_VARIABLE, (variable) => {
    if (variable === '${$}') return '$';
    if (variable === '${?}') return '?';
    if (variable !== '${*}') widened = true;
    return '*';
  });
  return { pattern: out, widened };
}

function parseStatement(
  raw: unknown,
  index: number,
  policy: PolicyRef,
): ParsedStatement | string {
  const where = `statement ${index + 1}`;
  if (!isRecord(raw)) return `${where} is not an object`;
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') return `${where} has no valid Effect`;

  const hasAction = 'Action' in raw;
  const hasNotAction = 'NotAction' in raw;
  if (hasAction === hasNotAction) return `${where} needs exactly one of Action and NotAction`;
  const actionList = stringList(hasAction ? raw['Action'] : raw['NotAction']);
  if (actionList === undefined) return `${where} has an Action element that is not a string or list`;

  const hasResource = 'Resource' in raw;
  const hasNotResource = 'NotResource' in raw;
  if (hasResource === hasNotResource) return `${where} needs exactly one of Resource and NotResource`;
  const resourceList = stringList(hasResource ? raw['Resource'] : raw['NotResource']);
  if (resourceList === undefined) return `${where} has a Resource element that is not a string or list`;

  const conditions = parseConditions(raw['Condition']);
  if (typeof conditions === 'string') return `${where}: ${conditions}`;

  let usesPolicyVariables = false;
  const resourceVariables = resourceList.map((r) => variablesWithoutDefault(r));
  const resources = resourceList.map((r) => {
    const { pattern, widened } = widenPolicyVariables(r);
    usesPolicyVariables ||= widened;
    return pattern;
  });
  const sid = raw['Sid'];
  return {
    policy,
    index,
    ...(typeof sid === 'string' && sid !== '' ? { sid } : {}),
    effect,
    actions: { negated: hasNotAction, patterns: actionList.map((a) => a.toLowerCase()) },
    resources: { negated: hasNotResource, patterns: resources },
    conditions,
    usesPolicyVariables,
    ...(resourceVariables.some((keys) => keys.length > 0) ? { resourceVariables } : {}),
  };
}

export function parsePolicy(input: PolicyInput, role: PolicyRole = 'identity'): ParsedPolicies {
  const label = role === 'boundary' ? `permissions boundary ${input.name}` : `policy ${input.name}`;
  if (!input.policy.ok) {
    return { statements: [], gaps: [`${label} could not be read: ${input.policy.error}`] };
  }
  const document = input.policy.document;
  if (!isRecord(document)) return { statements: [], gaps: [`${label} is not a JSON object`] };
  const rawStatements = document['Statement'];
  const list = Array.isArray(rawStatements) ? rawStatements : isRecord(rawStatements) ? [rawStatements] : undefined;
  if (list === undefined) return { statements: [], gaps: [`${label} has no Statement`] };

  const policy: PolicyRef = {
    name: input.name,
    ...(input.arn !== undefined ? { arn: input.arn } : {}),
    kind: input.kind,
    role,
  };
  const statements: ParsedStatement[] = [];
  const gaps: string[] = [];
  list.forEach((raw, index) => {
    const parsed = parseStatement(raw, index, policy);
    if (typeof parsed === 'string') gaps.push(`${label}: ${parsed}; the statement was left out`);
    else statements.push(parsed);
  });
  return { statements, gaps };
}

export function parsePolicies(inputs: readonly PolicyInput[], role: PolicyRole = 'identity'): ParsedPolicies {
  const statements: ParsedStatement[] = [];
  const gaps: string[] = [];
  for (const input of inputs) {
    const parsed = parsePolicy(input, role);
    statements.push(...parsed.statements);
    gaps.push(...parsed.gaps);
  }
  return { statements, gaps };
}

/**
 * Decides whether a role's trust policy lets a caller assume it with sts:AssumeRole: an explicit Deny
 * wins, then an Allow must match action, principal and every condition. Covers the principal forms and
 * condition keys the synthetic org uses; an unknown key counts as absent, as in IAM.
 */
import type { Json } from './org-types.js';
import { operatorHolds, wildcardMatch } from './condition-operators.js';

export interface AssumeContext {
  callerAccountId: string;
  /** The user ARN, or the role ARN for a role session (trust names the role, not the session). */
  callerArn: string;
  /** The organization the caller's account belongs to, if any. */
  principalOrgId?: string;
  externalId?: string;
  mfa: boolean;
  action: string;
}

function list(v: Json | undefined): Json[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function obj(v: Json | undefined): Record<string, Json> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function actionMatches(statement: Record<string, Json>, action: string): boolean {
  const actions = list(statement['Action']).filter((a): a is string => typeof a === 'string');
  return actions.some((a) => wildcardMatch(a, action, true));
}

function principalMatches(statement: Record<string, Json>, ctx: AssumeContext): boolean {
  const p = statement['Principal'];
  if (p === '*') return true;
  const aws = list(obj(p)?.['AWS']).filter((a): a is string => typeof a === 'string');
  return aws.some(
    (a) => a === '*' || a === ctx.callerAccountId || a === `arn:aws:iam::${ctx.callerAccountId}:root` || a === ctx.callerArn,
  );
}

function contextValue(key: string, ctx: AssumeContext): string | undefined {
  switch (key.toLowerCase()) {
    case 'sts:externalid':
      return ctx.externalId;
    case 'aws:principalorgid':
      return ctx.principalOrgId;
    case 'aws:multifactorauthpresent':
      return ctx.mfa ? 'true' : 'false';
    case 'aws:principalaccount':
      return ctx.callerAccountId;
    case 'aws:principalarn':
      return ctx.callerArn;
    default:
      return undefined;
  }
}

function conditionsHold(statement: Record<string, Json>, ctx: AssumeContext): boolean {
  const cond = obj(statement['Condition']);
  if (!cond) return true;
  return Object.entries(cond).every(([operator, block]) =>
    Object.entries(obj(block) ?? {}).every(([key, expected]) => operatorHolds(operator, contextValue(key, ctx), list(expected).map((v) => String(v)))),
  );
}

export function trustAllows(document: Json, ctx: AssumeContext): boolean {
  const statements = list(obj(document)?.['Statement'])
    .map(obj)
    .filter((s): s is Record<string, Json> => s !== undefined);
  const applies = (s: Record<string, Json>): boolean => actionMatches(s, ctx.action) && principalMatches(s, ctx) && conditionsHold(s, ctx);
  if (statements.some((s) => s['Effect'] === 'Deny' && applies(s))) return false;
  return statements.some((s) => s['Effect'] === 'Allow' && applies(s));
}

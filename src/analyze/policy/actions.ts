/** Which of STS's role-assumption actions a statement's Action or NotAction covers. */
import { wildcardMatch } from '../wildcard.js';
import type { PolicyStatement } from './document.js';

export const ASSUME_ROLE = 'sts:AssumeRole';
export const ASSUME_ROLE_WITH_SAML = 'sts:AssumeRoleWithSAML';
export const ASSUME_ROLE_WITH_WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';

export const ASSUME_ACTIONS: readonly string[] = [ASSUME_ROLE, ASSUME_ROLE_WITH_SAML, ASSUME_ROLE_WITH_WEB_IDENTITY];

/** Action names in IAM are case-insensitive and may use * and ?. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, { caseInsensitive: true, questionMark: true });
}

/** The statement's Action/NotAction, read as "does it cover this action?". */
export function statementCoversAction(statement: Pick<PolicyStatement, 'actions' | 'notActions'>, action: string): boolean {
  if (statement.actions) return statement.actions.some((pattern) => actionMatches(pattern, action));
  if (statement.notActions) return !statement.notActions.some((pattern) => actionMatches(pattern, action));
  return false;
}

export function assumeActionsCovered(statement: Pick<PolicyStatement, 'actions' | 'notActions'>): string[] {
  return ASSUME_ACTIONS.filter((action) => statementCoversAction(statement, action));
}

/** "AssumeRoleWithSAML" (a CloudTrail event name) -> "sts:AssumeRoleWithSAML". */
export function actionForEventName(eventName: string): string | undefined {
  return ASSUME_ACTIONS.find((action) => action.slice(4).toLowerCase() === eventName.toLowerCase());
}

/** ARN parsing for the shapes IAM trust and condition values use. */

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, e.g. "role/path/name" or "assumed-role/name/session". */
  resource: string;
}

export function parseArn(value: string): Arn | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account] = parts;
  if (partition === undefined || service === undefined || region === undefined || account === undefined) {
    return undefined;
  }
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

export const ACCOUNT_ID = /^\d{12}$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** "arn:aws:iam::123456789012:role/team/deploy" -> "deploy" (the path is not part of the name). */
export function roleNameFromArn(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (!parsed || !parsed.resource.startsWith('role/')) return undefined;
  const segments = parsed.resource.split('/');
  return segments[segments.length - 1];
}

export function accountOfArn(arn: string): string | undefined {
  const parsed = parseArn(arn);
  return parsed && isAccountId(parsed.account) ? parsed.account : undefined;
}

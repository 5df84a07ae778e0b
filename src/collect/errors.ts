/** Turns SDK errors into the short, actionable sentences the coverage record carries. */

export interface DescribedError {
  code: string;
  detail: string;
  /** Access problems are configuration to fix, not transient faults to retry. */
  accessDenied: boolean;
}

const ACCESS_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'AWSOrganizationsNotInUseException',
]);

export function describeError(e: unknown, action: string): DescribedError {
  const err = e as { name?: unknown; message?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number } };
  const code = typeof err?.name === 'string' && err.name !== 'Error' ? err.name : typeof err?.Code === 'string' ? err.Code : 'Error';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  const accessDenied = ACCESS_CODES.has(code) || err?.$metadata?.httpStatusCode === 403;
  const detail = accessDenied
    ? `${action} was denied (${code}): grant ${action} to the collecting role. ${message}`
    : `${action} failed (${code}): ${message}`;
  return { code, detail, accessDenied };
}

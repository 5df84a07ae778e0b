/** Turns SDK errors into the short, actionable sentences the coverage record carries. */

export interface DescribedError {
  code: string;
  detail: string;
  /** Access problems are configuration to fix, not transient faults to retry. */
  accessDenied: boolean;
  /** The answer's HTTP status, when there was an answer (AWS error or not). */
  httpStatus?: number;
  /** S3 refused a request signed for, or sent to, another region than its bucket's: the bucket's region, as S3 named it. */
  bucketRegion?: string;
  /** S3 refused it as sent to another region's endpoint (301 PermanentRedirect; 400 IllegalLocationConstraintException for an opt-in region), not only signed for one. */
  redirected?: boolean;
}

interface S3RegionError {
  name?: unknown;
  Region?: unknown;
  Endpoint?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/**
 * The bucket's region when S3 refused the request for being signed for another region (400
 * AuthorizationHeaderMalformed with <Region>) or sent to another region's endpoint (301 PermanentRedirect
 * with <Endpoint>, or 400 IllegalLocationConstraintException for an opt-in region; a HEAD gets the status
 * alone); all carry x-amz-bucket-region.
 */
function wrongRegion(err: S3RegionError): { region: string; redirected: boolean; endpoint?: string } | undefined {
  const code = typeof err?.name === 'string' ? err.name : '';
  const header = err?.$response?.headers?.['x-amz-bucket-region'];
  const status = err?.$metadata?.httpStatusCode;
  // Opt-in regions (launched after 20 March 2019) refuse another region's endpoint with a 400 of their own.
  const redirected = code === 'PermanentRedirect' || status === 301 || (code === 'IllegalLocationConstraintException' && header !== undefined);
  if (code !== 'AuthorizationHeaderMalformed' && !redirected && !(status === 400 && header)) return undefined;
  const region = typeof err.Region === 'string' && err.Region !== '' ? err.Region : header;
  if (!region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return undefined;
  const endpoint = typeof err.Endpoint === 'string' && err.Endpoint !== '' ? err.Endpoint : undefined;
  return { region, redirected, ...(endpoint ? { endpoint } : {}) };
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
  const err = e as { name?: unknown; message?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } };
  // A body that is not an AWS error (a proxy's HTML page) still has a status: the SDK keeps it on $response.
  const status = err?.$metadata?.httpStatusCode ?? err?.$response?.statusCode;
  const httpStatus = typeof status === 'number' && status >= 100 && status <= 599 ? status : undefined;
  const named = typeof err?.name === 'string' && err.name !== 'Error' ? err.name : typeof err?.Code === 'string' ? err.Code : undefined;
  const code = named ?? (httpStatus !== undefined ? `HTTP${httpStatus}` : 'Error');
  const message = typeof err?.message === 'string' ? err.message : String(e);
  const accessDenied = ACCESS_CODES.has(code) || httpStatus === 403;
  // The status travels in its own field (httpStatus); the sentence keeps the code only, as readers expect.
  const region = wrongRegion(err as S3RegionError);
  const bucketRegion = region?.region;
  const where = region?.redirected
    ? `S3 answers for it only at its own region's endpoint${region.endpoint ? ` (it named ${region.endpoint})` : ''}`
    : 'S3 answers only requests signed for its own region';
  const detail = accessDenied
    ? `${action} was denied (${code}): grant ${action} to the collecting role. ${message}`
    : bucketRegion
      ? `${action} failed (${code}): the bucket is in region ${bucketRegion}, and ${where}. ${message}`
      : `${action} failed (${code}): ${message}`;
  const described: DescribedError = { code, detail, accessDenied, ...(bucketRegion ? { bucketRegion } : {}), ...(region?.redirected ? { redirected: true } : {}) };
  if (httpStatus !== undefined) described.httpStatus = httpStatus;
  return described;
}

/** The error code and HTTP status for a coverage item. */
export function failureFields(d: DescribedError): { errorCode: string; httpStatus?: number } {
  return d.httpStatus !== undefined ? { errorCode: d.code, httpStatus: d.httpStatus } : { errorCode: d.code };
}

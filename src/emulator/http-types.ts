/** The request and response shapes the protocol handlers share. */
import type { IncomingHttpHeaders } from 'node:http';

export type ServiceName = 'iam' | 'sts' | 'organizations' | 'cloudtrail' | 'access-analyzer' | 's3' | 'ses' | 'securityhub' | 'ssm' | 'athena';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Who signed the request, resolved from the access key. */
export interface Principal {
  accessKeyId: string;
  accountId: string;
  /** The user ARN, or the assumed-role session ARN. */
  arn: string;
  /** AIDA... for users; AROA...:session for role sessions. */
  userId: string;
  type: 'IAMUser' | 'AssumedRole';
  /** For sessions: the role's ARN (trust policies name the role, not the session). */
  roleArn?: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface ApiRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  service: ServiceName;
  region: string;
  operation: string;
  principal: Principal;
  requestId: string;
  /**
   * The region whose endpoint received the request: a regional listener's, or one named in the Host
   * (s3.<region>.…); absent for the main endpoint, which stands for every region.
   */
  endpointRegion?: string;
}

/** An AWS error; each protocol renders it in its own wire shape. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly opts: {
      fault?: 'Sender' | 'Receiver';
      /** Extra members of the error body (S3 Key/BucketName, Access Analyzer resourceId, ...). */
      fields?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.name = code;
  }
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

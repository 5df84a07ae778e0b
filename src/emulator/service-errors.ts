/**
 * The errors every service can return whatever the operation — throttling, internal failure, access
 * denied, bad or missing credentials — each with the code, HTTP status and message that service uses.
 */
import { ServiceError, type ServiceName } from './http-types.js';

export function throttlingError(service: ServiceName): ServiceError {
  switch (service) {
    case 'iam':
    case 'sts':
      return new ServiceError('Throttling', 'Rate exceeded', 400);
    case 'organizations':
      return new ServiceError('TooManyRequestsException', 'AWS Organizations can\'t complete your request because another request is already in progress. Try again later.', 400, {
        fields: { Type: 'service' },
      });
    case 'cloudtrail':
      return new ServiceError('ThrottlingException', 'Rate exceeded', 400);
    case 'access-analyzer':
      return new ServiceError('ThrottlingException', 'Rate exceeded', 429);
    case 's3':
      return new ServiceError('SlowDown', 'Please reduce your request rate.', 503);
    // SendEmail's modelled throttle, with the sending-rate wording SES gives when a send is refused for speed.
    case 'ses':
      return new ServiceError('TooManyRequestsException', 'Maximum sending rate exceeded.', 429);
    case 'securityhub':
      return new ServiceError('LimitExceededException', 'Rate exceeded', 429);
    case 'ssm':
      return new ServiceError('ThrottlingException', 'Rate exceeded', 400);
    case 'athena':
      return new ServiceError('TooManyRequestsException', 'Rate exceeded', 400);
  }
}

export function internalError(service: ServiceName): ServiceError {
  switch (service) {
    case 'iam':
      return new ServiceError('ServiceFailure', 'Service Failure', 500);
    case 'sts':
      return new ServiceError('InternalFailure', 'An internal error occurred.', 500);
    case 'organizations':
      return new ServiceError('ServiceException', 'AWS Organizations can\'t complete your request because of an internal service error. Try again later.', 500);
    case 'cloudtrail':
      return new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
    case 'access-analyzer':
      return new ServiceError('InternalServerException', 'Internal server error', 500);
    case 's3':
      return new ServiceError('InternalError', 'We encountered an internal error. Please try again.', 500);
    case 'ses':
      return new ServiceError('InternalServiceErrorException', 'The request couldn\'t be processed because an error occurred with the Amazon SES API v2.', 500);
    case 'securityhub':
      return new ServiceError('InternalException', 'Internal service failure.', 500);
    case 'ssm':
      return new ServiceError('InternalServerError', 'An error occurred on the server side.', 500);
    case 'athena':
      return new ServiceError('InternalServerException', 'Internal service error.', 500);
  }
}

/** Permission refused: the IAM phrasing for identity-policy denials. */
export function accessDenied(service: ServiceName, callerArn: string, action: string, resource = '*'): ServiceError {
  const message = `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
  switch (service) {
    case 'iam':
    case 'sts':
      return new ServiceError('AccessDenied', message, 403);
    case 'organizations':
      return new ServiceError('AccessDeniedException', 'You don\'t have permissions to access this resource.', 400);
    case 'cloudtrail':
    case 'ssm':
    case 'athena':
      return new ServiceError('AccessDeniedException', message, 400);
    case 'access-analyzer':
    case 'ses':
    case 'securityhub':
      return new ServiceError('AccessDeniedException', message, 403);
    case 's3':
      return new ServiceError('AccessDenied', 'Access Denied', 403);
  }
}

export function invalidAccessKey(service: ServiceName): ServiceError {
  switch (service) {
    case 'iam':
    case 'sts':
      return new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    case 'organizations':
    case 'cloudtrail':
    case 'ssm':
    case 'athena':
      return new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
    case 'access-analyzer':
    case 'ses':
    case 'securityhub':
      return new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
    case 's3':
      return new ServiceError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
  }
}

export function invalidSessionToken(service: ServiceName): ServiceError {
  if (service === 's3') return new ServiceError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
  return invalidAccessKey(service);
}

export function expiredToken(service: ServiceName): ServiceError {
  switch (service) {
    case 'iam':
    case 'sts':
      return new ServiceError('ExpiredToken', 'The security token included in the request is expired', 403);
    case 's3':
      return new ServiceError('ExpiredToken', 'The provided token has expired.', 400);
    default:
      return new ServiceError('ExpiredTokenException', 'The security token included in the request is expired', 403);
  }
}

export function missingAuthentication(service: ServiceName): ServiceError {
  switch (service) {
    case 'iam':
    case 'sts':
      return new ServiceError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    case 's3':
      return new ServiceError('AccessDenied', 'Access Denied', 403);
    default:
      return new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  }
}

export function malformedAuthorization(service: ServiceName): ServiceError {
  if (service === 's3') return new ServiceError('AuthorizationHeaderMalformed', 'The authorization header is malformed.', 400);
  if (service === 'iam' || service === 'sts') return new ServiceError('IncompleteSignature', 'Authorization header requires \'Credential\' parameter.', 400);
  return new ServiceError('IncompleteSignatureException', 'Authorization header requires \'Credential\' parameter.', 400);
}

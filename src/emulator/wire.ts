/**
 * Renders responses and errors in each AWS wire protocol: awsQuery (IAM, STS), awsJson1_1 (Organizations,
 * CloudTrail), restJson1 (Access Analyzer) and restXml (S3). Error shapes follow the protocols' specs, so
 * the SDK maps them to the same exception classes and names it does for AWS.
 */
import { ServiceError, type HttpResponse } from './http-types.js';
import { el, escapeXml, text, XML_DECLARATION } from './xml.js';

export function queryResponse(action: string, namespace: string, resultXml: string, requestId: string): HttpResponse {
  const body =
    `<${action}Response xmlns="${namespace}">` +
    `<${action}Result>${resultXml}</${action}Result>` +
    el('ResponseMetadata', text('RequestId', requestId)) +
    `</${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export function queryError(err: ServiceError, namespace: string, requestId: string): HttpResponse {
  const body =
    `<ErrorResponse xmlns="${namespace}">` +
    el('Error', text('Type', err.opts.fault ?? (err.status >= 500 ? 'Receiver' : 'Sender')), text('Code', err.code), text('Message', err.message)) +
    text('RequestId', requestId) +
    `</ErrorResponse>`;
  return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...err.opts.headers }, body };
}

export function jsonResponse(value: unknown, requestId: string): HttpResponse {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }, body: JSON.stringify(value) };
}

export function jsonError(err: ServiceError, requestId: string, opts: { messageKey: 'Message' | 'message'; queryCompatible?: boolean }): HttpResponse {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, ...err.opts.headers };
  // awsQuery-compatible services (CloudTrail) also name the query-protocol code and fault in a header.
  if (opts.queryCompatible) headers['x-amzn-query-error'] = `${err.code};${err.opts.fault ?? (err.status >= 500 ? 'Receiver' : 'Sender')}`;
  return { status: err.status, headers, body: JSON.stringify({ __type: err.code, [opts.messageKey]: err.message, ...err.opts.fields }) };
}

export function restJsonResponse(value: unknown, requestId: string, status = 200): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, body: JSON.stringify(value) };
}

export function restJsonError(err: ServiceError, requestId: string): HttpResponse {
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': err.code, ...err.opts.headers },
    body: JSON.stringify({ message: err.message, ...err.opts.fields }),
  };
}

export function restXmlError(err: ServiceError, requestId: string, hostId: string, head: boolean): HttpResponse {
  const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId, ...err.opts.headers };
  // HEAD responses carry no body; the SDK names those errors from the status code (NotFound, Forbidden).
  if (head) return { status: err.status, headers, body: '' };
  const fields = Object.entries(err.opts.fields ?? {})
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const body = XML_DECLARATION + el('Error', text('Code', err.code), text('Message', err.message), fields, text('RequestId', requestId), text('HostId', hostId));
  return { status: err.status, headers: { ...headers, 'content-type': 'application/xml' }, body };
}

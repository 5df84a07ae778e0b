/**
 * AWS Systems Manager Parameter Store over awsJson1_1: PutParameter and GetParameter, per account and
 * region, enough for a config kept in a parameter (`ACCESS_REVIEW_CONFIG=ssm:/name`). SecureString values
 * are stored as given and returned only WithDecryption, as the real service returns ciphertext otherwise.
 */
import { ServiceError, header, type ApiRequest, type HttpResponse } from './http-types.js';
import { parseJsonBody, str, type JsonObject } from './json-body.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { jsonError, jsonResponse } from './wire.js';

const TARGET_PREFIX = 'AmazonSSM.';
/** Standard tier: 4 KB; advanced parameters hold 8 KB. */
const MAX_VALUE_BYTES = { Standard: 4096, Advanced: 8192 } as const;

export interface StoredParameter {
  name: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  version: number;
  modified: Date;
  tier: 'Standard' | 'Advanced';
}

const keyOf = (req: ApiRequest, name: string): string => `${req.principal.accountId}|${req.region}|${name}`;

function putParameter(req: ApiRequest, state: EmulatorState): HttpResponse {
  const body = parseJsonBody(req.body);
  const name = str(body, 'Name');
  const value = str(body, 'Value');
  if (!name || value === undefined) throw new ServiceError('ValidationException', 'Name and Value are required', 400);
  const tier = str(body, 'Tier') === 'Advanced' ? 'Advanced' : 'Standard';
  if (Buffer.byteLength(value) > MAX_VALUE_BYTES[tier]) {
    throw new ServiceError('ValidationException', `Standard tier parameters support a maximum parameter value of ${MAX_VALUE_BYTES[tier]} characters.`, 400);
  }
  const existing = state.ssmParameters.get(keyOf(req, name));
  if (existing && body['Overwrite'] !== true) throw new ServiceError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.', 400);
  const type = (str(body, 'Type') ?? existing?.type ?? 'String') as StoredParameter['type'];
  const version = (existing?.version ?? 0) + 1;
  state.ssmParameters.set(keyOf(req, name), { name, type, value, version, modified: state.clock(), tier });
  return jsonResponse({ Version: version, Tier: tier }, req.requestId);
}

function getParameter(req: ApiRequest, state: EmulatorState): HttpResponse {
  const body: JsonObject = parseJsonBody(req.body);
  const name = str(body, 'Name') ?? '';
  const p = state.ssmParameters.get(keyOf(req, name));
  if (!p) throw new ServiceError('ParameterNotFound', '', 400);
  const decrypt = body['WithDecryption'] === true;
  return jsonResponse(
    {
      Parameter: {
        Name: p.name,
        Type: p.type,
        Value: p.type === 'SecureString' && !decrypt ? Buffer.from(`kms:${p.value}`).toString('base64') : p.value,
        Version: p.version,
        LastModifiedDate: p.modified.getTime() / 1000,
        ARN: `arn:aws:ssm:${req.region}:${req.principal.accountId}:parameter/${p.name.replace(/^\//, '')}`,
        DataType: 'text',
      },
    },
    req.requestId,
  );
}

export const ssmService: ServiceModule = {
  name: 'ssm',
  operation(raw: RawRequest): string {
    const target = header(raw.headers, 'x-amz-target') ?? '';
    return target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : 'Unknown';
  },
  handle(req, state) {
    switch (req.operation) {
      case 'PutParameter':
        return putParameter(req, state);
      case 'GetParameter':
        return getParameter(req, state);
      default:
        throw new ServiceError('UnknownOperationException', `Operation ${req.operation} is not supported by this emulator.`, 400);
    }
  },
  renderError: (err, _raw, requestId) => jsonError(err, requestId, { messageKey: 'message' }),
};

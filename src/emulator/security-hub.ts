/**
 * AWS Security Hub over restJson1, as far as a finding provider uses it: BatchImportFindings
 * (POST /findings/import), GetFindings (POST /findings) and BatchUpdateFindings (PATCH /findings/batchupdate).
 * Findings are kept per account and region, keyed by ProductArn and Id: an import of a known Id updates it.
 * What the API reference says a provider cannot do is enforced: more than 100 findings in a request, a
 * finding whose AwsAccountId is not the caller's or whose ProductArn is not the caller's default product,
 * and (per finding, in FailedFindings) a missing required field. BatchImportFindings leaves an existing
 * finding's Workflow alone, except that a finding made ACTIVE again from ARCHIVED goes back to NEW.
 */
import { ServiceError, type ApiRequest, type HttpResponse } from './http-types.js';
import { obj, parseJsonBody, num, str, type JsonObject } from './json-body.js';
import { decodeMarker, encodeMarker } from './query-params.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { restJsonError, restJsonResponse } from './wire.js';

const REQUIRED = ['AwsAccountId', 'CreatedAt', 'Description', 'GeneratorId', 'Id', 'ProductArn', 'Resources', 'SchemaVersion', 'Title', 'UpdatedAt'] as const;
const MAX_FINDING_BYTES = 240 * 1024;

function invalidInput(message: string): ServiceError {
  return new ServiceError('InvalidInputException', message, 400, { fields: { Code: 'InvalidInputException' } });
}

function storeOf(state: EmulatorState, req: ApiRequest): Map<string, JsonObject> {
  const key = `${req.principal.accountId}|${req.region}`;
  let store = state.securityHub.get(key);
  if (!store) {
    store = new Map();
    state.securityHub.set(key, store);
  }
  return store;
}

const keyOf = (f: JsonObject): string => `${str(f, 'ProductArn') ?? ''}|${str(f, 'Id') ?? ''}`;

/** Why Security Hub would refuse this one finding, or undefined. */
function problemWith(f: JsonObject, req: ApiRequest, state: EmulatorState): string | undefined {
  for (const field of REQUIRED) if (f[field] === undefined) return `Finding is missing required field ${field}`;
  const severity = obj(f['Severity']) ?? obj(obj(f['FindingProviderFields'])?.['Severity']);
  if (!severity) return 'Finding is missing Severity (or FindingProviderFields.Severity)';
  const types = f['Types'] ?? obj(f['FindingProviderFields'])?.['Types'];
  if (!Array.isArray(types) || types.length === 0) return 'Finding is missing Types (or FindingProviderFields.Types)';
  if (str(f, 'AwsAccountId') !== req.principal.accountId) return `AwsAccountId ${str(f, 'AwsAccountId') ?? ''} is not the caller's account ${req.principal.accountId}`;
  const product = `arn:aws:securityhub:${req.region}:${req.principal.accountId}:product/${req.principal.accountId}/default`;
  if (str(f, 'ProductArn') !== product) return `ProductArn must be ${product} for findings imported from this account`;
  const resources = f['Resources'];
  if (!Array.isArray(resources) || resources.length < 1 || resources.length > 32) return 'Resources must hold 1 to 32 resources';
  if ((str(f, 'Title') ?? '').length > 256) return 'Title is longer than 256 characters';
  if ((str(f, 'Description') ?? '').length > 1024) return 'Description is longer than 1024 characters';
  if (Object.keys(obj(f['ProductFields']) ?? {}).length > 50) return 'ProductFields holds more than 50 entries';
  if (Buffer.byteLength(JSON.stringify(f)) > MAX_FINDING_BYTES) return 'Finding size exceeds 240 KB';
  if (state.faults.rejectsFinding(str(f, 'Id') ?? '')) return 'Finding was rejected (injected fault)';
  return undefined;
}

function batchImportFindings(req: ApiRequest, state: EmulatorState): HttpResponse {
  const findings = parseJsonBody(req.body, 'InvalidInputException')['Findings'];
  if (!Array.isArray(findings) || findings.length === 0) throw invalidInput('Findings must hold at least one finding');
  if (findings.length > 100) throw invalidInput('Findings must hold at most 100 findings');
  const store = storeOf(state, req);
  const failed: JsonObject[] = [];
  const now = state.clock().toISOString();
  for (const raw of findings) {
    const f = obj(raw) ?? {};
    const problem = problemWith(f, req, state);
    if (problem) {
      failed.push({ Id: str(f, 'Id') ?? '', ErrorCode: 'InvalidInput', ErrorMessage: problem });
      continue;
    }
    const existing = store.get(keyOf(f));
    const { Workflow: _ignored, ...provided } = f;
    let workflow = obj(existing?.['Workflow']) ?? obj(f['Workflow']) ?? { Status: 'NEW' };
    const reopened = existing && str(existing, 'RecordState') === 'ARCHIVED' && (str(f, 'RecordState') ?? 'ACTIVE') === 'ACTIVE';
    if (reopened && ['NOTIFIED', 'RESOLVED'].includes(str(workflow, 'Status') ?? '')) workflow = { Status: 'NEW' };
    store.set(keyOf(f), {
      ...provided,
      RecordState: str(f, 'RecordState') ?? 'ACTIVE',
      Workflow: workflow,
      WorkflowState: str(workflow, 'Status') === 'NEW' ? 'NEW' : 'RESOLVED',
      Region: req.region,
      ProductName: 'Default',
      CompanyName: 'Personal',
      FirstObservedAt: str(existing ?? {}, 'FirstObservedAt') ?? now,
      ProcessedAt: now,
    });
  }
  return restJsonResponse({ FailedCount: failed.length, SuccessCount: findings.length - failed.length, FailedFindings: failed }, req.requestId);
}

/** String filters with EQUALS / NOT_EQUALS / PREFIX; values of one key are ORed, keys are ANDed. */
function matchesString(value: string | undefined, filters: unknown): boolean {
  if (!Array.isArray(filters) || filters.length === 0) return true;
  const positive = filters.map((x) => obj(x) ?? {}).filter((x) => !str(x, 'Comparison')?.startsWith('NOT_'));
  const negative = filters.map((x) => obj(x) ?? {}).filter((x) => str(x, 'Comparison')?.startsWith('NOT_'));
  const test = (x: JsonObject): boolean => {
    const want = str(x, 'Value') ?? '';
    const c = str(x, 'Comparison') ?? 'EQUALS';
    if (c === 'EQUALS' || c === 'NOT_EQUALS') return value === want;
    if (c === 'PREFIX' || c === 'PREFIX_NOT_EQUALS') return value !== undefined && value.startsWith(want);
    if (c === 'CONTAINS' || c === 'NOT_CONTAINS') return value !== undefined && value.includes(want);
    throw invalidInput(`Unsupported Comparison ${c}`);
  };
  return (positive.length === 0 || positive.some(test)) && !negative.some(test);
}

function matchesMap(map: JsonObject | undefined, filters: unknown): boolean {
  if (!Array.isArray(filters) || filters.length === 0) return true;
  return filters.every((x) => {
    const f = obj(x) ?? {};
    const value = str(map ?? {}, str(f, 'Key') ?? '');
    const equal = value === str(f, 'Value');
    return str(f, 'Comparison') === 'NOT_EQUALS' ? !equal : equal;
  });
}

function matches(f: JsonObject, filters: JsonObject): boolean {
  for (const [key, value] of Object.entries(filters)) {
    switch (key) {
      case 'Id':
      case 'ProductArn':
      case 'GeneratorId':
      case 'AwsAccountId':
      case 'RecordState':
      case 'Title':
        if (!matchesString(str(f, key), value)) return false;
        break;
      case 'WorkflowStatus':
        if (!matchesString(str(obj(f['Workflow']) ?? {}, 'Status'), value)) return false;
        break;
      case 'SeverityLabel':
        if (!matchesString(str(obj(f['Severity']) ?? {}, 'Label'), value)) return false;
        break;
      case 'ProductFields':
        if (!matchesMap(obj(f['ProductFields']), value)) return false;
        break;
      default:
        throw invalidInput(`The emulator does not filter on ${key}`);
    }
  }
  return true;
}

function getFindings(req: ApiRequest, state: EmulatorState): HttpResponse {
  const body = parseJsonBody(req.body, 'InvalidInputException');
  const filters = obj(body['Filters']) ?? {};
  const max = num(body, 'MaxResults') ?? 100;
  if (max < 1 || max > 100) throw invalidInput('MaxResults must be between 1 and 100');
  const context = `findings|${JSON.stringify(filters)}`;
  const token = str(body, 'NextToken');
  const start = token ? decodeMarker(token, context) : 0;
  if (start === undefined) throw invalidInput('Invalid NextToken');
  const all = [...storeOf(state, req).values()].filter((f) => matches(f, filters));
  const page = all.slice(start, start + max);
  const next = start + page.length;
  return restJsonResponse({ Findings: page, ...(next < all.length ? { NextToken: encodeMarker(next, context) } : {}) }, req.requestId);
}

function batchUpdateFindings(req: ApiRequest, state: EmulatorState): HttpResponse {
  const body = parseJsonBody(req.body, 'InvalidInputException');
  const ids = body['FindingIdentifiers'];
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) throw invalidInput('FindingIdentifiers must hold 1 to 100 identifiers');
  const workflow = obj(body['Workflow']);
  const store = storeOf(state, req);
  const processed: JsonObject[] = [];
  const unprocessed: JsonObject[] = [];
  for (const raw of ids) {
    const ident = obj(raw) ?? {};
    const f = store.get(keyOf(ident));
    if (!f) {
      unprocessed.push({ FindingIdentifier: ident, ErrorCode: 'FindingNotFound', ErrorMessage: 'Finding Not Found' });
      continue;
    }
    if (workflow) {
      f['Workflow'] = { Status: str(workflow, 'Status') ?? 'NEW' };
      f['WorkflowState'] = str(workflow, 'Status') === 'NEW' ? 'NEW' : 'RESOLVED';
    }
    f['UpdatedAt'] = state.clock().toISOString();
    processed.push({ Id: str(ident, 'Id') ?? '', ProductArn: str(ident, 'ProductArn') ?? '' });
  }
  return restJsonResponse({ ProcessedFindings: processed, UnprocessedFindings: unprocessed }, req.requestId);
}

type Op = 'BatchImportFindings' | 'GetFindings' | 'BatchUpdateFindings' | 'Unknown';

function route(method: string, path: string): Op {
  if (method === 'POST' && path === '/findings/import') return 'BatchImportFindings';
  if (method === 'POST' && path === '/findings') return 'GetFindings';
  if (method === 'PATCH' && path === '/findings/batchupdate') return 'BatchUpdateFindings';
  return 'Unknown';
}

export const securityHubService: ServiceModule = {
  name: 'securityhub',
  operation: (raw: RawRequest) => route(raw.method, raw.url.pathname),
  handle(req, state) {
    switch (route(req.method, req.url.pathname)) {
      case 'BatchImportFindings':
        return batchImportFindings(req, state);
      case 'GetFindings':
        return getFindings(req, state);
      case 'BatchUpdateFindings':
        return batchUpdateFindings(req, state);
      default:
        throw new ServiceError('InvalidInputException', `No route for ${req.method} ${req.url.pathname}`, 404);
    }
  },
  renderError: (err, _raw, requestId) => restJsonError(err, requestId),
};

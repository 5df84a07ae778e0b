/**
 * IAM Access Analyzer over restJson1: ListAnalyzers (GET /analyzer), ListFindings (POST /finding: external
 * access analyzers only, each summary with its principal, action, condition and isPublic), ListFindingsV2
 * (POST /findingv2) and GetFindingV2 (GET /findingv2/{id}). Analyzers are regional; an account may have none, in which case
 * the list is empty and naming an analyzer gives ResourceNotFoundException.
 */
import { ServiceError, type ApiRequest, type HttpResponse } from './http-types.js';
import { obj, parseJsonBody, str, num, type JsonObject } from './json-body.js';
import type { SyntheticAnalyzer, SyntheticFinding } from './org-types.js';
import { decodeMarker, encodeMarker } from './query-params.js';
import type { EmulatorState, RawRequest, ServiceModule } from './state.js';
import { restJsonError, restJsonResponse } from './wire.js';

function analyzerJson(a: SyntheticAnalyzer): Record<string, unknown> {
  return {
    arn: a.arn,
    name: a.name,
    type: a.type,
    createdAt: a.createdAt,
    ...(a.lastResourceAnalyzed ? { lastResourceAnalyzed: a.lastResourceAnalyzed } : {}),
    ...(a.lastResourceAnalyzedAt ? { lastResourceAnalyzedAt: a.lastResourceAnalyzedAt } : {}),
    tags: {},
    status: a.status,
    ...(a.unusedAccessAge !== undefined ? { configuration: { unusedAccess: { unusedAccessAge: a.unusedAccessAge, analysisRule: { exclusions: [] } } } } : {}),
  };
}

function summaryJson(f: SyntheticFinding): Record<string, unknown> {
  return {
    analyzedAt: f.analyzedAt,
    createdAt: f.createdAt,
    id: f.id,
    resource: f.resource,
    resourceType: f.resourceType,
    resourceOwnerAccount: f.resourceOwnerAccount,
    status: f.status,
    updatedAt: f.updatedAt,
    findingType: f.findingType,
  };
}

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message, 400, { fields: { reason: 'other' } });
}

function analyzersOf(req: ApiRequest, state: EmulatorState): SyntheticAnalyzer[] {
  return (state.accounts.get(req.principal.accountId)?.analyzers ?? []).filter((a) => a.region === req.region);
}

function findAnalyzer(req: ApiRequest, state: EmulatorState, arn: string | undefined): SyntheticAnalyzer {
  if (!arn) throw validation('analyzerArn is required');
  const a = analyzersOf(req, state).find((x) => x.arn === arn);
  if (!a) {
    throw new ServiceError('ResourceNotFoundException', `Analyzer ${arn} not found`, 404, { fields: { resourceId: arn, resourceType: 'Analyzer' } });
  }
  return a;
}

function paging(token: string | null | undefined, context: string): number {
  if (token === undefined || token === null) return 0;
  const o = decodeMarker(token, context);
  if (o === undefined) throw validation('Invalid nextToken');
  return o;
}

function listAnalyzers(req: ApiRequest, state: EmulatorState): HttpResponse {
  const type = req.url.searchParams.get('type');
  const max = Number(req.url.searchParams.get('maxResults') ?? '100');
  const context = `analyzers|${type ?? ''}`;
  const start = paging(req.url.searchParams.get('nextToken'), context);
  const all = analyzersOf(req, state).filter((a) => type === null || a.type === type);
  const page = all.slice(start, start + max);
  const next = start + page.length;
  return restJsonResponse({ analyzers: page.map(analyzerJson), ...(next < all.length ? { nextToken: encodeMarker(next, context) } : {}) }, req.requestId);
}

/** The value a filter key names in a finding: summary fields, or fields of the external-access detail. */
function fieldValues(f: SyntheticFinding, key: string): string[] | undefined {
  switch (key) {
    case 'id':
    case 'status':
    case 'findingType':
    case 'resource':
    case 'resourceType':
    case 'resourceOwnerAccount':
      return [f[key]];
    case 'error':
      return [];
  }
  const external = f.details.flatMap((d) => ('externalAccessDetails' in d ? [d.externalAccessDetails] : []));
  if (key === 'isPublic') return external.map((d) => String(d.isPublic));
  if (key === 'action') return external.flatMap((d) => d.action);
  if (key.startsWith('principal.')) return external.flatMap((d) => (d.principal[key.slice(10)] !== undefined ? [d.principal[key.slice(10)] ?? ''] : []));
  if (key.startsWith('condition.')) return external.flatMap((d) => (d.condition[key.slice(10)] !== undefined ? [d.condition[key.slice(10)] ?? ''] : []));
  return undefined;
}

function criterionHolds(f: SyntheticFinding, key: string, criterion: JsonObject): boolean {
  const values = fieldValues(f, key);
  if (values === undefined) throw validation(`Invalid filter key: ${key}`);
  const strings = (k: string): string[] | undefined => {
    const v = criterion[k];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
  };
  const eq = strings('eq');
  const neq = strings('neq');
  const contains = strings('contains');
  const exists = criterion['exists'];
  if (eq && !values.some((v) => eq.includes(v))) return false;
  if (neq && values.some((v) => neq.includes(v))) return false;
  if (contains && !values.some((v) => contains.some((c) => v.includes(c)))) return false;
  if (typeof exists === 'boolean' && exists !== values.length > 0) return false;
  return true;
}

/** The analyzer's findings the request's filter and sort select, and the paging context they imply. */
function selectFindings(req: ApiRequest, state: EmulatorState, op: string): { analyzer: SyntheticAnalyzer; all: SyntheticFinding[]; start: number; max: number; context: string } {
  const body = parseJsonBody(req.body, 'ValidationException');
  const analyzer = findAnalyzer(req, state, str(body, 'analyzerArn'));
  const filter = obj(body['filter']) ?? {};
  const sort = obj(body['sort']);
  const max = num(body, 'maxResults') ?? 100;
  const context = `${op}|${analyzer.arn}|${JSON.stringify(filter)}|${JSON.stringify(sort ?? {})}`;
  const start = paging(str(body, 'nextToken'), context);

  let all = (state.accounts.get(req.principal.accountId)?.findings ?? []).filter(
    (f) => f.analyzerArn === analyzer.arn && Object.entries(filter).every(([k, c]) => criterionHolds(f, k, obj(c) ?? {})),
  );
  const attribute = sort ? str(sort, 'attributeName') : undefined;
  if (attribute) {
    const desc = str(sort ?? {}, 'orderBy') === 'DESC';
    all = [...all].sort((a, b) => {
      const av = String((summaryJson(a) as Record<string, unknown>)[attribute] ?? '');
      const bv = String((summaryJson(b) as Record<string, unknown>)[attribute] ?? '');
      return (av < bv ? -1 : av > bv ? 1 : 0) * (desc ? -1 : 1);
    });
  }
  return { analyzer, all, start, max, context };
}

function listFindingsV2(req: ApiRequest, state: EmulatorState): HttpResponse {
  const { all, start, max, context } = selectFindings(req, state, 'findingsv2');
  const page = all.slice(start, start + max);
  const next = start + page.length;
  return restJsonResponse({ findings: page.map(summaryJson), ...(next < all.length ? { nextToken: encodeMarker(next, context) } : {}) }, req.requestId);
}

const EXTERNAL_ACCESS_TYPES: ReadonlySet<string> = new Set(['ACCOUNT', 'ORGANIZATION']);

/** The first API's summary: external access only, with the access itself in the summary. */
function summaryV1Json(f: SyntheticFinding): Record<string, unknown> {
  const d = f.details.flatMap((x) => ('externalAccessDetails' in x ? [x.externalAccessDetails] : []))[0];
  // The V2 summary's fields but findingType, which the first API does not have.
  const { findingType: _v2Only, ...common } = summaryJson(f);
  return {
    ...common,
    condition: d?.condition ?? {},
    ...(d ? { principal: d.principal, action: d.action, isPublic: d.isPublic } : {}),
    sources: [{ type: 'POLICY' }],
  };
}

function listFindings(req: ApiRequest, state: EmulatorState): HttpResponse {
  const { analyzer, all, start, max, context } = selectFindings(req, state, 'findings');
  if (!EXTERNAL_ACCESS_TYPES.has(analyzer.type)) {
    throw validation('ListFindings supports external access analyzers only; use ListFindingsV2.');
  }
  const page = all.slice(start, start + max);
  const next = start + page.length;
  return restJsonResponse({ findings: page.map(summaryV1Json), ...(next < all.length ? { nextToken: encodeMarker(next, context) } : {}) }, req.requestId);
}

function getFindingV2(req: ApiRequest, state: EmulatorState, id: string): HttpResponse {
  const analyzer = findAnalyzer(req, state, req.url.searchParams.get('analyzerArn') ?? undefined);
  const f = (state.accounts.get(req.principal.accountId)?.findings ?? []).find((x) => x.id === id && x.analyzerArn === analyzer.arn);
  if (!f) throw new ServiceError('ResourceNotFoundException', `Finding ${id} not found`, 404, { fields: { resourceId: id, resourceType: 'Finding' } });
  const max = Number(req.url.searchParams.get('maxResults') ?? '100');
  const context = `finding|${f.id}`;
  const start = paging(req.url.searchParams.get('nextToken'), context);
  const details = f.details.slice(start, start + max);
  const next = start + details.length;
  return restJsonResponse(
    { ...summaryJson(f), findingDetails: details, ...(next < f.details.length ? { nextToken: encodeMarker(next, context) } : {}) },
    req.requestId,
  );
}

type Route = { op: 'ListAnalyzers' } | { op: 'ListFindings' } | { op: 'ListFindingsV2' } | { op: 'GetFindingV2'; id: string } | { op: 'Unknown' };

function route(method: string, path: string): Route {
  if (method === 'GET' && path === '/analyzer') return { op: 'ListAnalyzers' };
  if (method === 'POST' && path === '/finding') return { op: 'ListFindings' };
  if (method === 'POST' && path === '/findingv2') return { op: 'ListFindingsV2' };
  const m = /^\/findingv2\/([^/]+)$/.exec(path);
  if (method === 'GET' && m?.[1]) return { op: 'GetFindingV2', id: decodeURIComponent(m[1]) };
  return { op: 'Unknown' };
}

export const accessAnalyzerService: ServiceModule = {
  name: 'access-analyzer',
  operation: (raw: RawRequest) => route(raw.method, raw.url.pathname).op,
  handle(req, state) {
    const r = route(req.method, req.url.pathname);
    switch (r.op) {
      case 'ListAnalyzers':
        return listAnalyzers(req, state);
      case 'ListFindings':
        return listFindings(req, state);
      case 'ListFindingsV2':
        return listFindingsV2(req, state);
      case 'GetFindingV2':
        return getFindingV2(req, state, r.id);
      default:
        throw new ServiceError('UnknownOperationException', `No route for ${req.method} ${req.url.pathname}`, 404);
    }
  },
  renderError: (err, _raw, requestId) => restJsonError(err, requestId),
};

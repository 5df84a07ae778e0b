/**
 * Lookup structures over an ActionCatalog, built once per catalogue object. Wildcards and NotAction are
 * expanded against the catalogue exactly; a pattern is only matched against its own service's actions
 * unless the service part itself has a wildcard, which keeps a 1,500-pattern ReadOnlyAccess cheap.
 */
import type { ActionCatalog, ActionInfo } from '../../model/action-catalog.js';
import { globMatch, hasWildcard } from './glob.js';

export interface CatalogIndex {
  catalog: ActionCatalog;
  /** Lower-cased "service:action" per catalogue position. */
  keys: readonly string[];
  byKey: ReadonlyMap<string, number>;
  byService: ReadonlyMap<string, readonly number[]>;
  patternCache: Map<string, readonly number[]>;
}

const indexes = new WeakMap<ActionCatalog, CatalogIndex>();

export function indexCatalog(catalog: ActionCatalog): CatalogIndex {
  const existing = indexes.get(catalog);
  if (existing) return existing;
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  const byService = new Map<string, number[]>();
  catalog.actions.forEach((info, i) => {
    const service = info.service.toLowerCase();
    const key = `${service}:${info.name.toLowerCase()}`;
    keys.push(key);
    byKey.set(key, i);
    const list = byService.get(service);
    if (list) list.push(i);
    else byService.set(service, [i]);
  });
  const index: CatalogIndex = { catalog, keys, byKey, byService, patternCache: new Map() };
  indexes.set(catalog, index);
  return index;
}

/** Catalogue positions a (lower-cased) action pattern matches; "*" matches everything. */
export function expandActionPattern(index: CatalogIndex, pattern: string): readonly number[] {
  const cached = index.patternCache.get(pattern);
  if (cached) return cached;
  let result: readonly number[];
  if (pattern === '*' || /^[*]+$/.test(pattern)) {
    result = index.keys.map((_, i) => i);
  } else {
    const colon = pattern.indexOf(':');
    const service = colon < 0 ? undefined : pattern.slice(0, colon);
    if (service === undefined) {
      // IAM rejects an action without a service prefix; it matches nothing.
      result = [];
    } else if (!hasWildcard(service)) {
      const candidates = index.byService.get(service) ?? [];
      result = hasWildcard(pattern)
        ? candidates.filter((i) => globMatch(pattern, index.keys[i] ?? ''))
        : candidates.filter((i) => index.keys[i] === pattern);
    } else {
      result = index.keys.flatMap((key, i) => (globMatch(pattern, key) ? [i] : []));
    }
  }
  index.patternCache.set(pattern, result);
  return result;
}

export function actionInfo(index: CatalogIndex, key: string): ActionInfo | undefined {
  const i = index.byKey.get(key.toLowerCase());
  return i === undefined ? undefined : index.catalog.actions[i];
}

/** "iam:PassRole" as AWS spells it, for display. */
export function displayName(info: ActionInfo): string {
  return `${info.service}:${info.name}`;
}

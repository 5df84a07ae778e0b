/**
 * Glob algebra over IAM patterns (`*` any run, `?` one character). Matching alone is not enough for
 * permissions: asking "is PassRole allowed on *some* role?" needs pattern intersection, and asking "does
 * this Deny remove *all* of what that Allow grants?" needs pattern containment. Callers lower-case action
 * patterns themselves; ARNs are compared case-sensitively, as IAM does.
 */

const MAX_CACHE = 50_000;
const intersectCache = new Map<string, boolean>();
const containsCache = new Map<string, boolean>();

function remember(cache: Map<string, boolean>, key: string, value: boolean): boolean {
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(key, value);
  return value;
}

export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

/** Whether the pattern matches every string. */
export function isUniversal(pattern: string): boolean {
  return pattern.includes('*') && /^[*]+$/.test(pattern);
}

/** Whether `value` (taken literally) matches `pattern`. */
export function globMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let starP = -1;
  let starV = 0;
  while (v < value.length) {
    const pc = pattern[p];
    if (pc === '*') {
      starP = p++;
      starV = v;
    } else if (pc !== undefined && (pc === '?' || pc === value[v])) {
      p++;
      v++;
    } else if (starP >= 0) {
      p = starP + 1;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * Whether some string matches every pattern. Runs the product of the patterns' automata: a state is one
 * position per pattern, `*` may be skipped, and a character can be consumed when all positions accept one
 * common character (wildcards accept any, literals must agree).
 */
export function globsIntersect(...patterns: string[]): boolean {
  if (patterns.length <= 1) return true;
  if (patterns.some(isUniversal)) {
    const rest = patterns.filter((p) => !isUniversal(p));
    if (rest.length <= 1) return true;
    return globsIntersect(...rest);
  }
  if (patterns.every((p) => !hasWildcard(p))) return patterns.every((p) => p === patterns[0]);
  const key = patterns.join('\u0000');
  const cached = intersectCache.get(key);
  if (cached !== undefined) return cached;

  const seen = new Set<string>();
  const stack: number[][] = [patterns.map(() => 0)];
  while (stack.length > 0) {
    const state = stack.pop();
    if (state === undefined) break;
    const id = state.join(',');
    if (seen.has(id)) continue;
    seen.add(id);
    if (state.every((pos, i) => pos === (patterns[i] ?? '').length)) {
      return remember(intersectCache, key, true);
    }
    // Skip a `*` in any one pattern (it may match the empty string).
    state.forEach((pos, i) => {
      if (patterns[i]?.[pos] === '*') stack.push(state.map((q, j) => (j === i ? q + 1 : q)));
    });
    // Consume one character common to all patterns.
    let literal: string | undefined;
    let consumable = true;
    for (let i = 0; i < state.length && consumable; i++) {
      const ch = patterns[i]?.[state[i] ?? 0];
      if (ch === undefined) consumable = false;
      else if (ch !== '*' && ch !== '?') {
        if (literal === undefined) literal = ch;
        else if (literal !== ch) consumable = false;
      }
    }
    if (consumable) {
      stack.push(state.map((pos, i) => (patterns[i]?.[pos] === '*' ? pos : pos + 1)));
    }
  }
  return remember(intersectCache, key, false);
}

/**
 * Whether every string matched by `inner` is matched by `outer`. Sound but not complete: it answers true
 * only when each wildcard of `inner` is absorbed by a `*` of `outer` (a `?` of `outer` cannot absorb a `*`),
 * which covers how policies are written ("arn:aws:iam::*:role/*" contains "arn:aws:iam::1:role/app-*").
 * A false answer may therefore over-state what survives a Deny, never under-state it.
 */
export function globContains(outer: string, inner: string): boolean {
  if (isUniversal(outer)) return true;
  if (outer === inner) return true;
  const key = `${outer}\u0000${inner}`;
  const cached = containsCache.get(key);
  if (cached !== undefined) return cached;

  const memo = new Map<number, boolean>();
  const width = inner.length + 1;
  const covers = (i: number, j: number): boolean => {
    const id = i * width + j;
    const known = memo.get(id);
    if (known !== undefined) return known;
    let result: boolean;
    const o = outer[i];
    const n = inner[j];
    if (o === undefined) result = n === undefined;
    else if (o === '*') result = covers(i + 1, j) || (n !== undefined && covers(i, j + 1));
    else if (n === undefined) result = false;
    else if (o === '?') result = n !== '*' && covers(i + 1, j + 1);
    else result = n === o && covers(i + 1, j + 1);
    memo.set(id, result);
    return result;
  };
  return remember(containsCache, key, covers(0, 0));
}

/**
 * IAM matches a resource ARN component by component: partition, service, region and account are compared
 * separately and a wildcard never spans a colon between them (the resource part, which may itself contain
 * colons, is the rest). Without this, "arn:aws:iam::*:role/*" would seem to meet "arn:aws:iam::*:user/*".
 * Patterns that are not full ARNs ("*", "arn:*") are compared as plain globs.
 */
function arnParts(value: string): string[] | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts: string[] = [];
  let rest = value;
  for (let i = 0; i < 5; i++) {
    const colon = rest.indexOf(':');
    if (colon < 0) return undefined;
    parts.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  parts.push(rest);
  return parts;
}

export function resourceMatch(pattern: string, value: string): boolean {
  const p = arnParts(pattern);
  const v = arnParts(value);
  if (!p || !v) return globMatch(pattern, value);
  return p.every((part, i) => globMatch(part, v[i] ?? ''));
}

export function resourcesIntersect(...patterns: string[]): boolean {
  const relevant = patterns.filter((p) => !isUniversal(p));
  const split = relevant.map(arnParts);
  if (relevant.length <= 1 || split.some((s) => s === undefined)) return globsIntersect(...relevant);
  for (let i = 0; i < 6; i++) {
    if (!globsIntersect(...split.map((s) => s?.[i] ?? ''))) return false;
  }
  return true;
}

export function resourceContains(outer: string, inner: string): boolean {
  const o = arnParts(outer);
  const n = arnParts(inner);
  if (!o || !n) return globContains(outer, inner);
  return o.every((part, i) => globContains(part, n[i] ?? ''));
}

/**
 * IAM-style wildcard matching. Policies use `*` (any run of characters) and, in actions and condition
 * patterns, `?` (one character); suppression globs use only `*`. Kept in one place so every matcher in the
 * core agrees on escaping.
 */

export interface WildcardOptions {
  caseInsensitive?: boolean;
  /** Whether `?` is a single-character wildcard (IAM) or a literal (suppression globs). */
  questionMark?: boolean;
}

const cache = new Map<string, RegExp>();

export function wildcardToRegExp(pattern: string, options: WildcardOptions = {}): RegExp {
  const key = `${options.caseInsensitive ? 'i' : 's'}${options.questionMark ? 'q' : 'n'}:${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?' && options.questionMark) source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\?]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`, options.caseInsensitive ? 'is' : 's');
  if (cache.size > 5000) cache.clear();
  cache.set(key, re);
  return re;
}

export function wildcardMatch(pattern: string, value: string, options: WildcardOptions = {}): boolean {
  if (!pattern.includes('*') && !(options.questionMark && pattern.includes('?'))) {
    return options.caseInsensitive ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return wildcardToRegExp(pattern, options).test(value);
}

export function hasWildcard(value: string, questionMark = true): boolean {
  return value.includes('*') || (questionMark && value.includes('?'));
}

/** The text before the first wildcard: what a pattern pins down for certain. */
export function literalPrefix(value: string): string {
  const match = /[*?]/.exec(value);
  return match ? value.slice(0, match.index) : value;
}

/** True when the pattern matches every string (`*`, `**`, `*?*`...). */
export function matchesAnything(value: string): boolean {
  return value.length > 0 && /^[*?]*$/.test(value) && value.includes('*');
}

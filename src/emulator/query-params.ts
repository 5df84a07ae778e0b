/** awsQuery requests: form-encoded parameters in the body (or the URL), lists as Name.member.N. */
import type { RawRequest } from './state.js';

export function queryParams(raw: RawRequest): URLSearchParams {
  const params = new URLSearchParams(raw.url.search);
  if (raw.body.length > 0) {
    for (const [k, v] of new URLSearchParams(raw.body.toString('utf8'))) params.set(k, v);
  }
  return params;
}

/** Name.member.1, Name.member.2, ... in index order. */
export function memberList(params: URLSearchParams, name: string): string[] {
  const prefix = `${name}.member.`;
  const items: [number, string][] = [];
  for (const [k, v] of params) {
    if (k.startsWith(prefix)) {
      const n = Number(k.slice(prefix.length));
      if (Number.isInteger(n)) items.push([n, v]);
    }
  }
  return items.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Opaque paging markers that still reject tampering and reuse with other parameters. */
export function encodeMarker(offset: number, context: string): string {
  return Buffer.from(JSON.stringify({ o: offset, c: context })).toString('base64url');
}

export function decodeMarker(marker: string, context: string): number | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
    if (typeof v !== 'object' || v === null) return undefined;
    const o = (v as Record<string, unknown>)['o'];
    const c = (v as Record<string, unknown>)['c'];
    return typeof o === 'number' && Number.isInteger(o) && o >= 0 && c === context ? o : undefined;
  } catch {
    return undefined;
  }
}

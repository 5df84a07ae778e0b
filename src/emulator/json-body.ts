/** Request bodies of the JSON protocols, narrowed from unknown. */
import { ServiceError } from './http-types.js';

export type JsonObject = Record<string, unknown>;

export function parseJsonBody(body: Buffer, errorCode = 'SerializationException'): JsonObject {
  if (body.length === 0) return {};
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as JsonObject;
  } catch {
    // fall through to the error below
  }
  throw new ServiceError(errorCode, 'Start of structure or map found where not expected.', 400);
}

export function str(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(o: JsonObject, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' ? v : undefined;
}

export function obj(v: unknown): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { readPackageJson } from '../package-root.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const cache = new Map<string, ValidateFunction>();

/** Validates against a JSON Schema shipped in schemas/; returns readable messages, empty when valid. */
export function validateAgainst(schemaFile: string, value: unknown): string[] {
  let validate = cache.get(schemaFile);
  if (!validate) {
    validate = ajv.compile(readPackageJson(`schemas/${schemaFile}`) as object);
    cache.set(schemaFile, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describeError);
}

function describeError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(top level)' : e.instancePath;
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return `${where}: unknown field "${extra}"`;
  }
  if (e.keyword === 'pattern' && e.schemaPath.startsWith('#/definitions/emailAddress/')) {
    return `${where}: not an email address (name@example.com)`;
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `${where}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${where}: ${e.message ?? e.keyword}`;
}

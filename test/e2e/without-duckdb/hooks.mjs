// Module resolution hooks that make DuckDB missing, as it is in the production image (npm ci --omit=dev).
export async function resolve(specifier, context, next) {
  if (specifier === '@duckdb/node-api' || specifier.startsWith('@duckdb/')) {
    const e = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL ?? 'the test'}`);
    e.code = 'ERR_MODULE_NOT_FOUND';
    throw e;
  }
  return next(specifier, context);
}

import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// This file sits one level below the package root both as src/package-root.ts (tests) and as
// dist/package-root.js (built), so templates, schemas and data resolve the same way in both.
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

export function packagePath(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}

export function readPackageJson(relative: string): unknown {
  return JSON.parse(readFileSync(packagePath(relative), 'utf8'));
}

export const TOOL = {
  name: 'access-review',
  version: (readPackageJson('package.json') as { version: string }).version,
};

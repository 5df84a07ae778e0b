import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The templates ship next to package.json (see "files"), while this module runs from src/render under
 * vitest and from dist/render after tsc: walk up to the package root instead of assuming a depth.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`access-review: cannot find the package root (templates/) above ${fileURLToPath(import.meta.url)}`);
    }
    dir = parent;
  }
}

export function defaultTemplatesDir(): string {
  return resolve(packageRoot(), 'templates');
}

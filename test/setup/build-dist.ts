/**
 * Compiles src/ to dist/ once, before any test file runs: the end-to-end tests run the built CLI, and a
 * test file that rebuilt dist/ while another file's CLI was loading from it made that CLI fail at random.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

export default async function buildDistOnce(): Promise<void> {
  const root = path.resolve(import.meta.dirname, '../..');
  await promisify(execFile)(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
}

/**
 * A benchmark started with whatever `node` the machine has runs on a supported Node: on this project's CI
 * machines that `node` is 20, whose figures are not the container's. scripts/on-supported-node.mjs starts
 * the script again on a supported Node in that case (and does nothing on one), passing its exit code on.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliEnv, ROOT, spawnTracked } from './cli-process.js';

let work: string;
let script: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bench-node-'));
  script = path.join(work, 'probe.mjs');
  const guard = pathToFileURL(path.join(ROOT, 'scripts/on-supported-node.mjs')).href;
  await writeFile(script, `import '${guard}';\nconsole.log(process.versions.node);\nprocess.exitCode = 7;\n`);
});

afterAll(() => rm(work, { recursive: true, force: true }));

it('runs on Node 22 or later whatever the machine’s node is, with the script’s exit code', async () => {
  // The PATH's node, not the one running the tests: that is the one a person typing `node scripts/…` gets.
  const child = spawnTracked('node', [script], { cwd: ROOT, env: cliEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code).toBe(7);
  const version = stdout.trim().split('\n').pop() ?? '';
  expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(22);
}, 180_000);

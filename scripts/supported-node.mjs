#!/usr/bin/env node
// Runs a Node.js script on a supported Node: this one when it is new enough, otherwise the release the
// container ships, fetched once from the npm registry (the `node` package) into npm's cache.
// Node 20 reached end of life on 2026-04-30 and AWS SDK releases after early January 2027 need Node 22,
// yet machines with an older system Node are common (this project's own CI machines have Node 20): the
// README's two commands must still work there, on a Node the product supports.
// Usage: node scripts/supported-node.mjs <script> [args...]   (exits with the script's exit code)
import { spawn, spawnSync } from 'node:child_process';

export const MIN_MAJOR = 22;
// The active LTS, as in the Dockerfile: tests and the demo run on what the container runs.
export const PREFERRED = 26;

function major(version) {
  return Number(version.replace(/^v/, '').split('.')[0]);
}

export const isSupported = () => major(process.versions.node) >= MIN_MAJOR;

/** The path of a supported node binary: this process's, or one npm brings. */
export function supportedNode() {
  if (isSupported()) return process.execPath;
  const found = spawnSync('npm', ['exec', '--yes', '--prefer-offline', `--package=node@${PREFERRED}`, '--', 'node', '-p', 'process.execPath'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const binary = found.stdout?.trim().split('\n').pop();
  if (found.status !== 0 || !binary) {
    throw new Error(
      `Node ${process.versions.node} is older than the supported ${MIN_MAJOR}, and fetching node@${PREFERRED} from the npm registry failed ` +
        `(exit ${found.status}). Install Node ${MIN_MAJOR} or later, or run: npx -y -p node@${PREFERRED} node <script>`,
    );
  }
  const check = spawnSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  if (check.status !== 0 || major(check.stdout.trim()) < MIN_MAJOR) throw new Error(`${binary} is not a working Node ${MIN_MAJOR}+ (${check.stderr || check.stdout})`);
  return binary;
}

/**
 * Runs the script on a supported Node in a child process and exits with its code; termination is passed
 * on, so a CI timeout or Ctrl-C stops the real work, not only this process.
 */
export function runOnSupportedNode(script, args) {
  let node;
  try {
    node = supportedNode();
  } catch (e) {
    console.error(`supported-node: ${e.message}`);
    process.exit(1);
  }
  if (node !== process.execPath) console.error(`supported-node: Node ${process.versions.node} is past end of life; running on ${node}`);
  const child = spawn(node, [script, ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGTERM' ? 143 : signal === 'SIGINT' ? 130 : 1)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [script, ...args] = process.argv.slice(2);
  if (!script) {
    console.error('usage: node scripts/supported-node.mjs <script> [args...]');
    process.exit(2);
  }
  runOnSupportedNode(script, args);
}

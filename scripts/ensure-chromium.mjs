#!/usr/bin/env node
// Makes sure a Chromium for printing the PDF exists before the demo or the tests run. Puppeteer's own
// browser download is disabled (.puppeteerrc.cjs): it fails where only package registries are reachable,
// so we use Debian's chromium, installing it when we are root on Debian and stopping with the exact
// command otherwise.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const candidates = [
  process.env.CHROMIUM_PATH,
  process.env.PUPPETEER_EXECUTABLE_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].filter(Boolean);

const found = candidates.find((p) => existsSync(p));
if (found) {
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
const command = 'apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core';

if (!isRoot || !hasApt) {
  console.error(
    `access-review: Chromium is needed to print the PDF report and was not found.\n` +
      `Install it with:  sudo sh -c '${command}'\n` +
      `or point CHROMIUM_PATH at an existing Chromium/Chrome binary.`,
  );
  process.exit(1);
}

console.error(`access-review: Chromium not found; installing Debian's chromium (${command})`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core']]) {
  const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`access-review: 'apt-get ${args.join(' ')}' failed (exit ${r.status}). Install chromium by hand: ${command}`);
    process.exit(1);
  }
}
if (!existsSync('/usr/bin/chromium')) {
  console.error('access-review: apt-get finished but /usr/bin/chromium is still missing.');
  process.exit(1);
}

#!/usr/bin/env node
// Makes sure the system tools the demo or the tests need exist before they run. The PDF is printed with
// puppeteer-core, which downloads no browser of its own (that fails where only package registries are reachable), so we
// use Debian's chromium. The tests also read the printed PDFs back with poppler's pdftotext/pdfinfo
// (`--for-tests`). Missing packages are installed when we are root on Debian; otherwise we stop with the
// exact command.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const forTests = process.argv.includes('--for-tests');

function onPath(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

const chromium = [process.env.CHROMIUM_PATH, process.env.PUPPETEER_EXECUTABLE_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  .filter(Boolean)
  .find((p) => existsSync(p));

const missing = [];
if (!chromium) missing.push('chromium', 'fonts-dejavu-core');
if (forTests && !(onPath('pdftotext') && onPath('pdfinfo'))) missing.push('poppler-utils');
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;

if (!isRoot || !hasApt) {
  console.error(
    `access-review: missing Debian packages: ${missing.join(', ')} (Chromium prints the PDF report` +
      `${forTests ? '; poppler-utils lets the tests read it back' : ''}).\n` +
      `Install them with:  sudo sh -c '${command}'\n` +
      (chromium ? '' : 'or point CHROMIUM_PATH at an existing Chromium/Chrome binary.'),
  );
  process.exit(1);
}

console.error(`access-review: installing missing Debian packages (${command})`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
  const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`access-review: 'apt-get ${args.join(' ')}' failed (exit ${r.status}). Install by hand: ${command}`);
    process.exit(1);
  }
}
if (!chromium && !existsSync('/usr/bin/chromium')) {
  console.error('access-review: apt-get finished but /usr/bin/chromium is still missing.');
  process.exit(1);
}

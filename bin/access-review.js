#!/usr/bin/env node
// Runs the compiled CLI (npm ci builds it through the "prepare" script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('access-review: dist/ is missing; run `npm run build` (npm ci does it through "prepare").\n');
  process.exit(1);
}
const { main } = await import(entry.href);
// Exit explicitly: idle keep-alive sockets of the AWS clients must not hold a finished job open.
process.exit(await main(process.argv.slice(2)));

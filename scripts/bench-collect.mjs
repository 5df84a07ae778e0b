#!/usr/bin/env node
// Collection benchmark for one organization size: wall time and LookupEvents calls against AWS's floor,
// with the emulator in its own process. The floor is the emulator's ground truth — the slowest
// account-region's pages at 2 a second, every account read at once — not the tool's own call count.
// This is bench-scale.mjs's collect measurement for a single size; see that script for the details.
// Usage: npm run bench [-- --accounts 4 --roles 25 --events 1500 --concurrency auto]
// Prints the measurement, then the summary as one JSON object on the last line.
import './on-supported-node.mjs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '5' },
    roles: { type: 'string', default: '25' },
    events: { type: 'string', default: '1500' },
    concurrency: { type: 'string' },
  },
});
const args = ['--only', 'collect', '--accounts', values.accounts, '--roles', values.roles, '--events', values.events];
if (values.concurrency) args.push('--concurrency', values.concurrency);
const child = spawn(process.execPath, [fileURLToPath(new URL('./bench-scale.mjs', import.meta.url)), ...args], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));

/**
 * The guard that keeps one slow test from poisoning the next: a tracked child, and a grandchild it started
 * in a process group of its own (as Puppeteer starts Chromium), are both gone after stopChildren.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { childMark, descendantsOf, spawnTracked, stopChildren } from './cli-process.js';

function alive(pid: number): boolean {
  try {
    // A zombie has exited; only its parent's wait is missing.
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const PARENT = `
const { spawn } = require('node:child_process');
const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
process.stdout.write(String(g.pid) + '\\n');
setInterval(() => {}, 1000);
`;

describe('stopChildren', () => {
  it('kills a tracked child and a grandchild that left its process group', async () => {
    const mark = childMark();
    const child = spawnTracked(process.execPath, ['-e', PARENT], { stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = await new Promise<number>((resolve) => child.stdout?.once('data', (c: Buffer) => resolve(Number(String(c).trim()))));
    const parent = child.pid as number;
    expect(descendantsOf(parent)).toContain(grandchild);
    expect(alive(parent) && alive(grandchild)).toBe(true);

    expect(await stopChildren({ since: mark })).toBe(1);
    // SIGKILL is delivered at once, but the kernel may take a moment to tear a process down.
    for (let i = 0; i < 200 && (alive(parent) || alive(grandchild)); i++) await new Promise((r) => setTimeout(r, 25));
    expect(alive(parent)).toBe(false);
    expect(alive(grandchild)).toBe(false);
  });

  it('leaves children started before the mark alone', async () => {
    const early = spawnTracked(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const mark = childMark();
    expect(await stopChildren({ since: mark })).toBe(0);
    expect(alive(early.pid as number)).toBe(true);
    expect(await stopChildren()).toBe(1);
  });
});

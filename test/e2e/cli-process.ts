/**
 * Runs the built CLI as a user would: a child process with only PATH, HOME and the given environment.
 *
 * Every child is tracked so that a test which times out or fails cannot leave it running into the next
 * test: test/setup/stop-children.ts stops what a test started after that test, and what a file's
 * beforeAll started after the file. A child runs in its own process group, and Chromium (which Puppeteer
 * starts in a group of its own) is found through /proc, so the whole tree goes. dist/ is built once for the
 * whole run by test/setup/build-dist.ts.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/access-review.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface Tracked {
  seq: number;
  child: ChildProcess;
}

const live = new Map<number, Tracked>();
let nextSeq = 1;

/** A marker: children started after it are the ones `stopChildren({ since })` stops. */
export function childMark(): number {
  return nextSeq;
}

/** Spawns a tracked child in its own process group. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  const pid = child.pid;
  if (pid !== undefined) {
    live.set(pid, { seq: nextSeq++, child });
    child.once('exit', () => live.delete(pid));
  }
  return child;
}

export function cliEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env };
}

export function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawnTracked(process.execPath, [BIN, ...args], { cwd: ROOT, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  return new Promise((resolve) => {
    child.once('error', (e) => resolve({ code: -1, stdout: '', stderr: e.message }));
    child.once('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 + constants.signals[signal] : -1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

/** Every descendant of `root` (not including it), read from /proc before anything is killed. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // The command name in parentheses may hold spaces; the parent pid is the second field after it.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const found: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop() as number) ?? []) {
      found.push(c);
      stack.push(c);
    }
  }
  return found;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** SIGKILLs each tracked child started at or after `since` (all when omitted), its group and its descendants. */
export async function stopChildren(opts: { since?: number } = {}): Promise<number> {
  const targets = [...live.entries()].filter(([, t]) => t.seq >= (opts.since ?? 0));
  for (const [pid, t] of targets) {
    const tree = descendantsOf(pid);
    killQuietly(-pid);
    for (const d of tree) killQuietly(d);
    live.delete(pid);
    if (t.child.exitCode === null && t.child.signalCode === null) await new Promise((r) => t.child.once('exit', r));
  }
  return targets.length;
}

/**
 * The fault matrix, row by row against the emulator: each stage of a run under each fault, judged by the
 * exit code, what exists in the archive, the local folder and the SES outbox, and what the output, the
 * report and the email say. Rows without a signal run the CLI's main() in-process (quick); rows with a
 * signal spawn the built CLI and signal it when its log reaches the stage, as Kubernetes would.
 */
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import PostalMime from 'postal-mime';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { main } from '../../src/cli/main.js';
import { archiveRun } from '../../src/deliver/s3-archive.js';
import { encodeJson } from '../../src/deliver/manifest.js';
import { resolveChromiumPath } from '../../src/render/pdf.js';
import { BIN, cliEnv, ROOT, spawnTracked } from './cli-process.js';
import { FAULT_ROWS, type FaultRow, type MatrixAccounts } from './fault-matrix.js';

interface Outcome {
  code: number;
  output: string;
}

const TO = ['security-leads@acme.example', 'ciso@acme.example'];

describe('fault matrix', () => {
  let emu: RunningEmulator;
  let s3: S3Client;
  let work: string;
  let accounts: MatrixAccounts;
  let baselineGaps: string;
  const savedEnv = { ...process.env };

  const listKeys = async (prefix: string): Promise<string[]> =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: emu.org.archiveBucket, Prefix: `${prefix}/` }))).Contents ?? []).map((c) => c.Key ?? '').sort();
  const getText = async (key: string): Promise<string> => (await s3.send(new GetObjectCommand({ Bucket: emu.org.archiveBucket, Key: key }))).Body!.transformToString();

  beforeAll(async () => {
    emu = await startEmulator({ seed: 21, lookupEventsPerSecond: 0, org: { memberAccounts: 1, rolesPerAccount: 4, eventsPerAccount: 60 } });
    const management = emu.org.organization.managementAccountId;
    const member = emu.org.accounts.find((a) => !a.isManagement && a.status === 'ACTIVE')!.id;
    accounts = { management, member };
    s3 = new S3Client({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, forcePathStyle: true });
    work = await mkdtemp(path.join(tmpdir(), 'ar-faults-'));
    // The in-process rows reach the emulator through the SDK's default credential chain, as the CLI does.
    Object.assign(process.env, emu.env());
    const baseline = await inProcess((await configFile({ stage: 'baseline', fault: 'none', expect: { exit: 0, archive: 'complete', local: true, email: true, output: [] }, says: '' }, 999)).file, undefined, 999);
    baselineGaps = /coverage gaps: \d+/.exec(baseline.output)?.[0] ?? 'no summary';
  }, 120_000);
  afterAll(async () => {
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
    await emu?.close();
  });

  async function configFile(row: FaultRow, index: number): Promise<{ file: string; prefix: string; out: string }> {
    const prefix = `matrix-${index}`;
    const out = path.join(work, `out-${index}`);
    if (row.outIsFile) await writeFile(out, 'a file where the folder should be\n');
    const formats = row.pdf ? ['json', 'html', 'csv', 'pdf'] : ['json', 'html', 'csv'];
    const base: Record<string, unknown> = {
      scope: { mode: 'organization', concurrency: 4 },
      aws: { endpoint: emu.endpoint, s3ForcePathStyle: true, maxAttempts: 2 },
      regions: emu.org.regions,
      cloudtrail: { enabled: false },
      archive: { bucket: emu.org.archiveBucket, prefix },
      output: { dir: out, formats },
      email: { from: 'access-review@acme.example', to: TO },
    };
    if (row.killChromium) base.chromiumPath = await chromiumWrapper(index);
    const section = (name: string): object => ({ ...(base[name] as object), ...((row.config?.[name] as object) ?? {}) });
    const merged = { ...base, ...row.config, cloudtrail: section('cloudtrail'), archive: section('archive'), email: section('email') };
    const file = path.join(work, `config-${index}.json`);
    await writeFile(file, JSON.stringify(merged));
    return { file, prefix, out };
  }

  /** A Chromium that records its process id, so the test can SIGKILL exactly that browser. */
  async function chromiumWrapper(index: number): Promise<string> {
    const wrapper = path.join(work, `chromium-${index}.sh`);
    await writeFile(wrapper, `#!/bin/sh\necho $$ > "${wrapper}.pid"\nexec "${resolveChromiumPath()}" "$@"\n`);
    await chmod(wrapper, 0o755);
    return wrapper;
  }

  async function killChromiumWhenStarted(index: number, done: Promise<unknown>): Promise<void> {
    const pidFile = path.join(work, `chromium-${index}.sh.pid`);
    let finished = false;
    void done.finally(() => (finished = true));
    while (!finished && !existsSync(pidFile)) await new Promise((r) => setTimeout(r, 10));
    if (finished) return;
    // Outright, as the OOM killer would, and at once: waiting for the print to be under way would race a
    // fast machine's print, and a browser that dies at any point must cost the PDF and nothing else.
    // The shell creates the file before it writes the id: never signal 0 (our own process group).
    let pid = 0;
    while (!finished && !(pid > 1)) {
      pid = Number((await readFile(pidFile, 'utf8')).trim()) || 0;
      if (!(pid > 1)) await new Promise((r) => setTimeout(r, 5));
    }
    if (!(pid > 1)) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, which the row's assertions will show.
    }
  }

  async function inProcess(file: string, row: FaultRow | undefined, index: number): Promise<Outcome> {
    const chunks: string[] = [];
    const capture = (chunk: unknown): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk as Uint8Array));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const running = main(['run', '--config', file], { ...emu.env() });
      if (row?.killChromium) await killChromiumWhenStarted(index, running);
      const code = await running;
      return { code, output: chunks.join('') };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  async function spawned(file: string, signalOn: string): Promise<Outcome> {
    // Tracked: the setup file stops it, and its Chromium, when the test ends however it ends.
    const child = spawnTracked(process.execPath, [BIN, 'run', '--config', file], { cwd: ROOT, env: cliEnv(emu.env()), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let buffer = '';
    let signalled = false;
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => {
      const text = c.toString('utf8');
      output += text;
      buffer += text;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!signalled && line.startsWith('{') && (JSON.parse(line) as { event?: string }).event === signalOn) {
          signalled = true;
          child.kill('SIGTERM');
        }
      }
    });
    const code = await new Promise<number>((resolve) => child.on('exit', (c, sig) => resolve(c ?? (sig ? -1 : -2))));
    expect(signalled, `the CLI never logged ${signalOn}`).toBe(true);
    return { code, output };
  }

  async function plantBadPreviousReview(prefix: string): Promise<void> {
    const runId = '20200101T000000Z-bad000';
    const bad = { kind: 'access-review/review', schemaVersion: '1.0', runId, generatedAt: '2020-01-01T00:00:00.000Z', scope: { mode: 'organization' }, summary: {}, coverage: [], accounts: {}, findings: [] };
    await archiveRun(s3, { bucket: emu.org.archiveBucket, prefix }, {
      runId,
      scopeId: `organization-${emu.org.organization.id}`,
      at: new Date('2020-01-01T00:00:00Z'),
      tool: { name: 'access-review', version: 'test' },
      artifacts: [{ name: 'review.json', contentType: 'application/json', body: encodeJson(bad) }],
    });
  }

  FAULT_ROWS.forEach((row, index) => {
    it(`${row.stage} × ${row.fault}: exit ${row.expect.exit}, archive ${row.expect.archive}, local ${row.expect.local ? 'yes' : 'no'}, email ${row.expect.email ? 'yes' : 'no'}`, async () => {
      const { file, prefix, out } = await configFile(row, index);
      if (row.badPreviousReview) await plantBadPreviousReview(prefix);
      const before = emu.outbox().length;
      emu.setFaults(row.faults?.(accounts) ?? {});
      let outcome: Outcome;
      try {
        outcome = row.sigtermOn ? await spawned(file, row.sigtermOn) : await inProcess(file, row, index);
      } finally {
        emu.setFaults({});
      }
      const context = `output:\n${outcome.output.slice(-4000)}`;
      expect(outcome.code, context).toBe(row.expect.exit);
      for (const re of row.expect.output) expect(outcome.output, context).toMatch(re);
      if (row.expect.sameGapsAsBaseline) expect(/coverage gaps: \d+/.exec(outcome.output)?.[0]).toBe(baselineGaps);

      // The archive: whole (manifest), or nothing of this run at all.
      const keys = (await listKeys(prefix)).filter((k) => !k.includes('20200101T000000Z-bad000'));
      const manifest = keys.find((k) => k.endsWith('/manifest.json'));
      if (row.expect.archive === 'none') expect(keys, context).toEqual([]);
      else {
        expect(manifest, context).toBeDefined();
        const names = JSON.parse(await getText(manifest!)).artifacts.map((a: { name: string }) => a.name) as string[];
        expect(names.includes('report.pdf')).toBe(row.pdf === true && row.expect.archive === 'complete');
        expect(names).toEqual(expect.arrayContaining(['review.json', 'report.html', 'snapshot.json']));
      }

      // The local folder: a whole run folder (with its manifest), or none.
      const runs = existsSync(path.join(out, 'runs')) ? await readdir(path.join(out, 'runs')) : [];
      if (row.expect.local) {
        expect(runs).toHaveLength(1);
        expect(existsSync(path.join(out, 'runs', runs[0]!, 'manifest.json'))).toBe(true);
      } else expect(runs).toEqual([]);

      // What the report says.
      if (row.expect.report) {
        const html = manifest ? await getText(manifest.replace(/manifest\.json$/, 'report.html')) : await readFile(path.join(out, 'runs', runs[0]!, 'report.html'), 'utf8');
        for (const re of row.expect.report) expect(html).toMatch(re);
      }

      // The email: sent once, or not at all, and what it says.
      const sent = emu.outbox().slice(before);
      expect(sent, context).toHaveLength(row.expect.email ? 1 : 0);
      if (row.expect.email) {
        const mail = await PostalMime.parse(sent[0]!.raw);
        expect(sent[0]!.destinations.sort()).toEqual([...TO].sort());
        for (const re of row.expect.email_says ?? []) expect(mail.text ?? '').toMatch(re);
      }
      if (row.outIsFile) await rm(out, { force: true });
      await mkdir(work, { recursive: true });
    }, 180_000);
  });
});

/**
 * Runs the public corpus (iam-evaluation-corpus.json) through the real path and judges every case: the
 * emulator serves the corpus roles over IAM's wire protocol, the built CLI collects and reviews them
 * (`run`), then re-analyzes the archived snapshot (`analyze --snapshot`), and each case's expected verdict
 * is checked against review.json. Shared by the test (test/corpus/corpus.e2e.test.ts) and
 * `npm run bench:accuracy`, so both judge the same way. Plain JavaScript so the benchmark runs it unbuilt.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const CORPUS_FILE = path.join(import.meta.dirname, 'iam-evaluation-corpus.json');

export async function loadCorpusCases(file = CORPUS_FILE) {
  return JSON.parse(await readFile(file, 'utf8'));
}

/** The emulator's corpus format: every case's role and the roles it needs beside it. */
export function emulatorCorpus(corpus) {
  return { roles: corpus.cases.flatMap((c) => [c.role, ...(c.extraRoles ?? [])]) };
}

/** Runs the CLI in its own process group, so a timeout or failure takes down everything it started. */
export function runCli(bin, args, env, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout, stderr });
    });
  });
}

/**
 * Starts the emulator with the corpus, runs `run` and `analyze --snapshot`, and returns both reviews.
 * `startEmulator` comes from src/emulator (tests) or dist/emulator (the benchmark).
 */
export async function runCorpus({ startEmulator, bin, work, corpus, timeoutMs = 300_000 }) {
  const emu = await startEmulator({
    seed: 7,
    org: { memberAccounts: 1, rolesPerAccount: 4, eventsPerAccount: 10, suspendedAccounts: 0, regions: ['us-east-1'] },
    corpus: emulatorCorpus(corpus),
  });
  try {
    await mkdir(work, { recursive: true });
    const config = path.join(work, 'config.json');
    await writeFile(
      config,
      JSON.stringify({ scope: { mode: 'organization' }, aws: { s3ForcePathStyle: true }, regions: ['us-east-1'], cloudtrail: { enabled: false }, output: { dir: path.join(work, 'run') } }),
    );
    const started = Date.now();
    const run = await runCli(bin, ['run', '--config', config, '--no-pdf'], emu.env(), timeoutMs);
    const runMs = Date.now() - started;
    if (run.code !== 0 && run.code !== 4) throw new Error(`run exited ${run.code}${run.signal ? ` (${run.signal})` : ''}: ${run.stderr.slice(-2000)}`);
    const review = JSON.parse(await readFile(path.join(work, 'run', 'review.json'), 'utf8'));
    const analyzeStarted = Date.now();
    const analyze = await runCli(bin, ['analyze', '--snapshot', path.join(work, 'run', 'snapshot.json'), '--out', path.join(work, 'analyze'), '--no-pdf'], {}, timeoutMs);
    const analyzeMs = Date.now() - analyzeStarted;
    if (analyze.code !== 0 && analyze.code !== 4) throw new Error(`analyze exited ${analyze.code}: ${analyze.stderr.slice(-2000)}`);
    const reanalyzed = JSON.parse(await readFile(path.join(work, 'analyze', 'review.json'), 'utf8'));
    return { review, reanalyzed, managementAccountId: emu.org.organization.managementAccountId, runMs, analyzeMs };
  } finally {
    await emu.close();
  }
}

/** Every case's verdict against a review: what was expected, what the review says, and whether they agree. */
export function judgeCorpus(corpus, review, accountId) {
  const roles = new Map(review.accounts.filter((a) => a.accountId === accountId).flatMap((a) => a.roles.map((r) => [r.name, r])));
  return corpus.cases.map((c) => judgeCase(c, roles.get(c.role.name), review));
}

function judgeCase(c, role, review) {
  const expect = c.expect;
  const expected = [];
  const actual = [];
  const problems = [];
  if (!role) return { id: c.id, class: c.class, reason: c.reason, expected: 'role reviewed', actual: 'role missing from review.json', ok: false };
  const findings = review.findings.filter((f) => f.resource === role.arn || (f.grantId ?? '').startsWith(`${role.arn}#`));
  const rules = new Set(findings.map((f) => f.ruleId));
  const methods = new Set(role.permissions.privilegeEscalation.map((m) => m.method));
  for (const rule of expect.findings ?? []) {
    expected.push(rule);
    if (!rules.has(rule)) problems.push(`missing ${rule}`);
  }
  for (const rule of expect.notFindings ?? []) {
    expected.push(`no ${rule}`);
    if (rules.has(rule)) problems.push(`unexpected ${rule}`);
  }
  for (const [rule, severity] of Object.entries(expect.severity ?? {})) {
    expected.push(`${rule}=${severity}`);
    const got = findings.filter((f) => f.ruleId === rule).map((f) => f.severity);
    if (!got.includes(severity)) problems.push(`${rule} severity ${got.join('/') || 'none'}`);
  }
  for (const [rule, text] of Object.entries(expect.evidence ?? {})) {
    expected.push(`${rule} says "${text}"`);
    const said = findings.filter((f) => f.ruleId === rule).some((f) => f.evidence.some((e) => e.value.includes(text)) || f.message.includes(text));
    if (!said) problems.push(`${rule} evidence lacks "${text}"`);
  }
  for (const method of expect.escalation ?? []) {
    expected.push(`escalates: ${method}`);
    if (!methods.has(method)) problems.push(`no ${method}`);
  }
  for (const method of expect.notEscalation ?? []) {
    expected.push(`no ${method}`);
    if (methods.has(method)) problems.push(`flags ${method}`);
  }
  if (expect.trustRemoved !== undefined) {
    expected.push(expect.trustRemoved ? 'trust removed' : 'trust stands');
    const removed = role.trustGrants.length > 0 && role.trustGrants.every((g) => g.negatedBy !== undefined);
    if (removed !== expect.trustRemoved) problems.push(removed ? 'trust removed' : 'trust stands');
  }
  actual.push(...[...rules].sort());
  if (methods.size > 0) actual.push(`escalates: ${[...methods].sort().join(', ')}`);
  return { id: c.id, class: c.class, reason: c.reason, expected: expected.join('; '), actual: problems.length === 0 ? 'as expected' : problems.join('; '), findings: actual.join(', '), ok: problems.length === 0 };
}

/** The verdict table, one line a case, for the test log and the benchmark. */
export function verdictTable(rows) {
  const width = Math.max(...rows.map((r) => r.id.length));
  return rows.map((r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.id.padEnd(width)}  ${r.expected}${r.ok ? '' : `  <- ${r.actual}`}`).join('\n');
}

export function verdictCounts(rows) {
  const byClass = {};
  for (const r of rows) {
    const entry = (byClass[r.class] ??= { cases: 0, correct: 0 });
    entry.cases += 1;
    if (r.ok) entry.correct += 1;
  }
  return { cases: rows.length, correct: rows.filter((r) => r.ok).length, wrong: rows.filter((r) => !r.ok).map((r) => r.id), byClass };
}

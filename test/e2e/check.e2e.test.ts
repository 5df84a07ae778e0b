/**
 * `access-review check` as a platform team runs it after deploying: against the emulator, with one member
 * account whose role cannot be assumed and, in a second config, a sender SES does not know.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cli, type CliResult } from './cli-process.js';

describe('access-review check', () => {
  let emu: RunningEmulator;
  let denied: string;
  let good: CliResult;
  let bad: CliResult;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 5, org: { memberAccounts: 3, rolesPerAccount: 8, eventsPerAccount: 50 } });
    denied = emu.org.accounts.filter((a) => !a.isManagement && a.status === 'ACTIVE').at(-1)!.id;
    const work = await mkdtemp(path.join(tmpdir(), 'ar-check-'));
    const base = { scope: { mode: 'organization' }, aws: { s3ForcePathStyle: true }, regions: emu.org.regions, archive: { bucket: emu.org.archiveBucket } };
    await writeFile(path.join(work, 'good.json'), JSON.stringify({ ...base, email: { from: 'access-review@acme.example', to: ['ciso@acme.example'] } }));
    await writeFile(path.join(work, 'bad.json'), JSON.stringify({ ...base, email: { from: 'reports@elsewhere.example', to: ['ciso@acme.example'] } }));
    good = await cli(['check', '--config', path.join(work, 'good.json')], emu.env());
    emu.setFaults({ denyAccounts: [denied] });
    emu.resetCalls();
    bad = await cli(['check', '--config', path.join(work, 'bad.json')], emu.env());
  }, 300_000);
  afterAll(async () => emu?.close());

  it('passes, with each account and region probed, when everything is in place', () => {
    expect(good.code).toBe(0);
    const active = emu.org.accounts.filter((a) => a.status === 'ACTIVE');
    expect(good.stdout).toContain(`Organization ${emu.org.organization.id}: ${active.length} active account(s) in scope.`);
    for (const a of active) {
      expect(good.stdout).toMatch(new RegExp(`^ok    iam             ${a.id} `, 'm'));
      expect(good.stdout).toMatch(new RegExp(`^ok    last-accessed   ${a.id} +Service last-accessed data \\(Access Advisor\\) readable\\.$`, 'm'));
      for (const region of emu.org.regions) expect(good.stdout).toMatch(new RegExp(`^ok    cloudtrail      ${a.id} ${region} `, 'm'));
    }
    expect(good.stdout).toContain('SES may send as access-review@acme.example (verified identity acme.example)');
    expect(good.stdout).toMatch(/^ok    pdf             Chromium at \S+ printed a test page/m);
    // The emulator's archive bucket has Object Lock and nothing else: each missing protection is a warning.
    expect(good.stdout).toMatch(/^WARN  archive-lock    Object Lock is on but nothing gets a retention/m);
    expect(good.stdout).toMatch(/^WARN  archive-policy  No bucket policy: /m);
    expect(good.stdout).toMatch(/^0 failed, \d+ warning\(s\), \d+ ok, 0 skipped\.$/m);
  });

  it('fails with exit 5, failures first, naming the account it cannot enter and the sender SES refuses', () => {
    expect(bad.code).toBe(5);
    const lines = bad.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^FAIL  (member-role     ${denied}|email)`));
    expect(bad.stdout).toMatch(new RegExp(`^FAIL  member-role     ${denied} +sts:AssumeRole into arn:aws:iam::${denied}:role/AccessReviewReadOnly was denied \\(AccessDenied(, HTTP 403)?\\)`, 'm'));
    expect(bad.stdout).toContain('FAIL  email           us-east-1                 SES in us-east-1 has no verified identity for reports@elsewhere.example or its domain');
    expect(lines.at(-1)).toMatch(/^2 failed, /);
  });

  it('catches an SES account still in the sandbox whose recipients are not verified', async () => {
    emu.setFaults({});
    emu.setSesSandbox(true);
    try {
      const work = await mkdtemp(path.join(tmpdir(), 'ar-check-sandbox-'));
      const cfg = path.join(work, 'sandbox.json');
      await writeFile(cfg, JSON.stringify({ scope: { mode: 'account' }, aws: { s3ForcePathStyle: true }, email: { from: 'access-review@acme.example', to: ['ciso@acme.example', 'board@elsewhere.example'] } }));
      const r = await cli(['check', '--config', cfg, '--no-pdf'], emu.env());
      expect(r.code).toBe(5);
      expect(r.stdout).toContain('SES in us-east-1 is in the sandbox and these recipients are not verified identities: board@elsewhere.example.');
    } finally {
      emu.setSesSandbox(false);
    }
  });

  it('only reads: nothing is written to the archive and no email is sent', () => {
    const calls = Object.keys(emu.calls());
    expect(calls.filter((c) => /PutObject|SendEmail|CreateMultipartUpload/.test(c))).toEqual([]);
    expect(emu.outbox()).toEqual([]);
  });
});

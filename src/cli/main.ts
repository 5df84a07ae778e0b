#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error.js';
import type { Config } from '../config/config.js';
import { SEVERITIES, type Severity } from '../model/review.js';
import { EXIT, UsageError, exitCodeFor } from './exit.js';
import type { PipelineResult } from './pipeline.js';
import { jsonLogger } from './log.js';
import { TOOL } from '../package-root.js';
import { finishOnSignal } from './finish-on-signal.js';

// Every command module is imported where it is used: `--help`, `rules` and `verify` of a local folder
// must start without the AWS SDK, Puppeteer or the action catalogue (a CronJob's start-up and `--help` on a
// laptop both pay for what the entry point imports).

const HELP = `access-review ${TOOL.version} — permission review of cross-account access in AWS

Usage: access-review <command> [options]

Commands:
  run                  Collect from AWS, analyze, render and deliver one review
                       (with scope.shard: collect one shard; the last shard merges and delivers).
  merge                Merge a sharded collection's parts and deliver the review (--group).
  check                Preflight: every permission, the mail route and the PDF printer, read-only.
  analyze              Re-analyze and render a stored snapshot (no AWS calls).
  schedule             Stay running and start a review on the configured cron (no overlap).
  demo                 Run the whole job against the embedded local AWS emulator.
  rules                List the rule catalogue.
  verify               Check a run's artifacts against its manifest (local folder or s3://bucket/prefix).
  list                 The archived runs by scope and date, complete or not (--since/--until YYYY-MM-DD, --json).

Options:
  -c, --config <file>  JSON config file (or ACCESS_REVIEW_CONFIG); see schemas/config.schema.json
  -o, --out <dir>      Local output folder (each run in <dir>/runs/<runId>/, newest copied to <dir>/)
      --no-pdf         Skip the PDF (no Chromium needed)
      --fail-on <sev>  Exit 4 when open findings of this severity or worse exist
  run/analyze:
      --snapshot <f>   (analyze) snapshot.json to analyze
      --previous <f>   (analyze) previous review.json, for "changes since the previous review"
  merge:
      --group <name>   The run group the shards wrote (ACCESS_REVIEW_RUN_GROUP)
      --allow-missing  Review the parts present, marking missing shards' accounts as gaps
  demo:
      --seed <n>       Synthetic organization seed (default 42)
  rules:
      --json | --markdown
  -h, --help           This help
  -v, --version        Print the version

Exit codes: 0 done, 1 unexpected failure, 2 usage or configuration error,
            3 report produced but delivery failed, 4 findings at or above --fail-on,
            5 (check) a preflight check failed.
`;

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  out: { type: 'string', short: 'o' },
  'no-pdf': { type: 'boolean' },
  'fail-on': { type: 'string' },
  snapshot: { type: 'string' },
  previous: { type: 'string' },
  seed: { type: 'string' },
  group: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'allow-missing': { type: 'boolean' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function summarize(result: PipelineResult): string {
  const s = result.review.summary;
  const lines = [
    `Reviewed ${s.accounts} account(s), ${s.roles} role(s), ${s.trustGrants} trust grant(s): ${s.openFindings} open finding(s) ` +
      `(${SEVERITIES.map((sev) => `${s.findingsBySeverity[sev]} ${sev}`).join(', ')}); coverage gaps: ${s.coverageGaps}.`,
  ];
  if (result.local) {
    lines.push(`Report folder: ${result.local.runDir}`);
    for (const f of result.local.files) lines.push(`  ${f}`);
  }
  if (result.archive) lines.push(`Archived: s3://${result.archive.bucket}/${result.archive.prefix}/ (manifest.json lists SHA-256 of every file)`);
  if (result.email) {
    const how = { attach: 'with report.pdf attached', link: 'with a link to the archived report.pdf', 'summary-only': 'with the summary only' }[result.email.mode];
    lines.push(`Emailed ${result.email.recipients} recipient(s) ${how} via ${result.email.via} (${result.email.messageId}).`);
  }
  if (result.securityHub) lines.push(`Security Hub: ${result.securityHub.imported} finding(s) imported, ${result.securityHub.archived} resolved since earlier runs archived.`);
  for (const e of result.deliveryErrors) lines.push(`Delivery problem: ${e}`);
  return lines.join('\n');
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const log = jsonLogger();
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.version) {
    process.stdout.write(`${TOOL.version}\n`);
    return EXIT.ok;
  }
  if (values.help || !command || command === 'help') {
    process.stdout.write(HELP);
    return values.help || command === 'help' ? EXIT.ok : EXIT.usage;
  }
  try {
    const failOn = values['fail-on'] as Severity | undefined;
    if (failOn !== undefined && !SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
    const loadEffectiveConfig = async (): Promise<Config> => {
      const { loadConfig } = await import('../config/load-config.js');
      const config = await loadConfig(values.config, env);
      if (values.out) config.output.dir = values.out;
      if (values['no-pdf']) config.output.formats = config.output.formats.filter((f) => f !== 'pdf');
      return config;
    };

    // Commands that need no configuration (verify reads it only for an s3:// target).
    switch (command) {
      case 'rules': {
        const { rulesCommand } = await import('./rules.js');
        process.stdout.write(rulesCommand(values.json ? 'json' : values.markdown ? 'markdown' : 'text'));
        return EXIT.ok;
      }
      case 'verify': {
        const target = positionals[1];
        if (!target) throw new UsageError('verify needs a run folder or s3://bucket/prefix of a run');
        const { verifyCommand } = await import('./verify.js');
        const { ok, report } = await verifyCommand(target, loadEffectiveConfig);
        process.stdout.write(report);
        return ok ? EXIT.ok : EXIT.failure;
      }
    }

    const config = await loadEffectiveConfig();
    switch (command) {
      case 'run': {
        finishOnSignal(log, 'run');
        if (config.scope.shard) {
          const { runShard } = await import('./shard.js');
          const shard = await runShard({ config, log });
          process.stdout.write(
            shard.reused
              ? `Shard ${shard.shard.index} of ${shard.shard.count} (group ${shard.shard.group}): its part was already written by an earlier attempt (${shard.partUri}); nothing collected again\n`
              : `Shard ${shard.shard.index} of ${shard.shard.count} (group ${shard.shard.group}): ${shard.accounts} account(s) collected; part written to ${shard.partUri}\n`,
          );
          if (!shard.merged) {
            process.stdout.write(
              shard.waitingFor.length > 0 ? `Waiting for shard(s) ${shard.waitingFor.join(', ')}: the last to finish merges.\n` : 'Another shard is merging the set.\n',
            );
            return EXIT.ok;
          }
          process.stdout.write(`This shard completed the set and merged it.\n${summarize(shard.merged)}\n`);
          return exitCodeFor(shard.merged, failOn);
        }
        const { runJob } = await import('./commands.js');
        const result = await runJob({ config, log });
        process.stdout.write(`${summarize(result)}\n`);
        return exitCodeFor(result, failOn);
      }
      case 'analyze': {
        if (!values.snapshot) throw new UsageError('analyze needs --snapshot <snapshot.json>');
        if (!config.output.dir) throw new UsageError('analyze needs --out <dir> (or output.dir in the config)');
        const { analyzeSnapshotFile } = await import('./commands.js');
        const result = await analyzeSnapshotFile({ snapshotFile: values.snapshot, ...(values.previous ? { previousFile: values.previous } : {}), config, log });
        process.stdout.write(`${summarize(result)}\n`);
        return exitCodeFor(result, failOn);
      }
      case 'demo': {
        const { runDemo } = await import('./demo.js');
        const result = await runDemo({ config, log, seed: values.seed ? Number(values.seed) : 42 });
        process.stdout.write(`${summarize(result)}\n`);
        if (result.emailFile) process.stdout.write(`The email as the emulated SES received it: ${result.emailFile}\n`);
        return exitCodeFor(result, failOn);
      }
      case 'check': {
        const [{ runChecks, formatChecks }, { clientsFor }] = await Promise.all([import('./check.js'), import('./commands.js')]);
        const items = await runChecks(config, clientsFor({ config }), env);
        process.stdout.write(formatChecks(items));
        return items.some((i) => i.status === 'fail') ? EXIT.checks : EXIT.ok;
      }
      case 'list': {
        const { listCommand } = await import('./list.js');
        process.stdout.write(await listCommand(config, { ...(values.since ? { since: values.since } : {}), ...(values.until ? { until: values.until } : {}), json: values.json === true }));
        return EXIT.ok;
      }
      case 'merge': {
        if (!values.group) throw new UsageError('merge needs --group <run group>');
        const { mergeCommand } = await import('./shard.js');
        const result = await mergeCommand({ config, log, group: values.group, allowMissing: values['allow-missing'] === true });
        process.stdout.write(`${summarize(result)}\n`);
        return exitCodeFor(result, failOn);
      }
      case 'schedule': {
        const { scheduleCommand } = await import('./schedule.js');
        await scheduleCommand({ config, log });
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`access-review: ${e.message}\n`);
      return EXIT.usage;
    }
    log('run.failed', { error: (e as Error).message, stack: (e as Error).stack }, 'error');
    process.stderr.write(`access-review: ${(e as Error).message}\n`);
    return EXIT.failure;
  }
}

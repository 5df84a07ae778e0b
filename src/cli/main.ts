#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error.js';
import { accountConcurrency, type Config } from '../config/config.js';
import { SEVERITIES, type Severity } from '../model/review.js';
import { EXIT, UsageError, exitCodeFor } from './exit.js';
import type { PipelineResult } from './pipeline.js';
import { jsonLogger, routeWarningsTo, type Logger } from './log.js';
import { InterruptedError, watchSignals } from './interrupt.js';
import { TOOL } from '../package-root.js';
import { OPTIONS, allowedOptions, closest, commandHelp, commandSpec, COMMANDS, globalHelp, type OptionName } from './help.js';
import { isMissingCredentials, MISSING_CREDENTIALS } from './credentials-help.js';

// Every command module is imported where it is used: `--help`, `rules` and `verify` of a local folder
// must start without the AWS SDK, Puppeteer or the action catalogue (a CronJob's start-up and `--help` on a
// laptop both pay for what the entry point imports).

const EMAIL_HOW = {
  attach: 'with report.pdf attached',
  link: 'with a link to the archived report.pdf',
  'summary-only': 'with the summary only',
  'all-clear': 'as a short all-clear note',
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
    lines.push(`Emailed ${result.email.recipients} recipient(s) ${EMAIL_HOW[result.email.mode]} via ${result.email.via} (${result.email.messageId}).`);
  }
  for (const o of result.owners ?? []) {
    const mail = o.email ? `emailed to ${o.owner.emails.join(', ')} ${EMAIL_HOW[o.email.mode]}` : (o.noEmail ?? 'not emailed');
    lines.push(`Owner ${o.owner.name}: ${o.review.summary.openFindings} open finding(s) in owners/${o.owner.id}/; ${mail}.`);
  }
  if (result.securityHub) lines.push(`Security Hub: ${result.securityHub.imported} finding(s) imported, ${result.securityHub.archived} resolved since earlier runs archived.`);
  for (const e of result.deliveryErrors) lines.push(`Delivery problem: ${e}`);
  return lines.join('\n');
}

/** ACCESS_REVIEW_HEARTBEAT_SECONDS: how often a run without a terminal logs its progress (default 30). */
function heartbeatSeconds(env: NodeJS.ProcessEnv): number {
  const raw = env.ACCESS_REVIEW_HEARTBEAT_SECONDS;
  if (raw === undefined || raw === '') return 30;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`ACCESS_REVIEW_HEARTBEAT_SECONDS=${JSON.stringify(raw)}: must be a positive number of seconds`);
  return n;
}

function usageError(message: string, command?: string): number {
  process.stderr.write(`access-review: ${message}\nSee "access-review ${command ? `${command} ` : ''}--help".\n`);
  return EXIT.usage;
}

/** The command the user meant, even when the arguments do not parse: the first word that is not an option's. */
function guessCommand(argv: string[]): string | undefined {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false }).positionals[0];
  } catch {
    return undefined;
  }
}

/** A parse error as one line: an unknown flag with the closest one this command takes, not the whole help. */
function parseProblem(e: Error & { code?: string }, argv: string[]): number {
  const command = guessCommand(argv);
  const spec = command ? commandSpec(command) : undefined;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = /'([^']+)'/.exec(e.message)?.[1] ?? '';
    const name = typed.replace(/^-+/, '').split('=')[0] ?? '';
    const suggestion = name.length >= 2 ? closest(name, allowedOptions(spec)) : undefined;
    return usageError(`unknown option ${typed}${suggestion ? ` (did you mean --${suggestion}?)` : ''}`, spec?.name);
  }
  return usageError(e.message.split('\n')[0] ?? e.message, spec?.name);
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Log lines go through the progress line when there is one, so they do not tear it.
  let sink = (line: string): void => void process.stderr.write(line);
  const log = jsonLogger((line) => sink(line));
  const restoreWarnings = routeWarningsTo(log);
  try {
    return await runCommand(argv, env, log, (s) => (sink = s));
  } finally {
    restoreWarnings();
  }
}

async function runCommand(argv: string[], env: NodeJS.ProcessEnv, log: Logger, setSink: (s: (line: string) => void) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return parseProblem(e as Error & { code?: string }, argv);
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.version) {
    process.stdout.write(`${TOOL.version}\n`);
    return EXIT.ok;
  }
  if (!command || command === 'help') {
    const about = command === 'help' && positionals[1] ? commandSpec(positionals[1]) : undefined;
    process.stdout.write(about ? commandHelp(about) : globalHelp());
    return values.help || command === 'help' ? EXIT.ok : EXIT.usage;
  }
  const spec = commandSpec(command);
  if (!spec) {
    const suggestion = closest(command, COMMANDS.map((c) => c.name));
    return usageError(`unknown command "${command}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
  }
  if (values.help) {
    process.stdout.write(commandHelp(spec));
    return EXIT.ok;
  }
  const given = (Object.keys(values) as OptionName[]).filter((k) => values[k] !== undefined);
  const misplaced = given.find((k) => !allowedOptions(spec).includes(k));
  if (misplaced) {
    const takers = COMMANDS.filter((c) => c.options.includes(misplaced)).map((c) => c.name);
    return usageError(`--${misplaced} does not apply to ${command}${takers.length > 0 ? ` (it is for ${takers.join(', ')})` : ''}`, command);
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
      case 'config': {
        const sub = positionals[1];
        if (sub !== 'validate' && sub !== 'print') throw new UsageError('config needs "validate" or "print"');
        const { effectiveConfig, formatEffectiveConfig, describeValid } = await import('./config-command.js');
        const effective = await effectiveConfig(values.config, env, { ...(values.out ? { out: values.out } : {}), noPdf: values['no-pdf'] === true });
        if (sub === 'validate') {
          process.stdout.write(describeValid(values.config ?? env.ACCESS_REVIEW_CONFIG, effective.config));
        } else {
          process.stdout.write(values.json ? `${JSON.stringify(effective, null, 2)}\n` : formatEffectiveConfig(effective, env));
        }
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
    const progressOptions = (c: Config): Parameters<typeof import('./progress.js').progressReporter>[0] => ({
      limits: { requestsPerSecond: c.cloudtrail.requestsPerSecond, regions: c.cloudtrail.enabled ? c.regions.length : 0, concurrency: accountConcurrency(c.scope.concurrency, Number.POSITIVE_INFINITY) },
      // schedule mode writes other logs between runs: a redrawn line would tear them, so it only heartbeats.
      tty: command === 'run' && process.stderr.isTTY === true,
      write: (text) => void process.stderr.write(text),
      log,
      heartbeatMs: heartbeatSeconds(env) * 1000,
    });
    const newProgress = async (c: Config) => {
      const { progressReporter } = await import('./progress.js');
      const progress = progressReporter(progressOptions(c));
      setSink((line) => progress.print(line));
      return progress;
    };
    switch (command) {
      case 'run': {
        const progress = await newProgress(config);
        // A signal abandons the stage in progress, or lets delivery finish so the archive is whole (interrupt.ts).
        const stop = watchSignals(log);
        try {
          if (config.scope.shard) {
            const { runShard } = await import('./shard.js');
            const shard = await runShard({ config, log, progress });
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
          const result = await runJob({ config, log, progress, stop: stop.signal });
          process.stdout.write(`${summarize(result)}\n`);
          return exitCodeFor(result, failOn);
        } finally {
          stop.dispose();
          progress.stop();
        }
      }
      case 'analyze': {
        if (!values.snapshot) throw new UsageError('analyze needs --snapshot <snapshot.json>');
        if (!config.output.dir) throw new UsageError('analyze needs --out <dir> (or output.dir in the config)');
        const { analyzeSnapshotFile } = await import('./commands.js');
        const stop = watchSignals(log);
        const result = await analyzeSnapshotFile({ snapshotFile: values.snapshot, ...(values.previous ? { previousFile: values.previous } : {}), config, log, stop: stop.signal }).finally(stop.dispose);
        process.stdout.write(`${summarize(result)}\n`);
        return exitCodeFor(result, failOn);
      }
      case 'demo': {
        const { demoUsageProblem, runDemo } = await import('./demo.js');
        const usage = values.usage ?? 'event-history';
        if (usage !== 'event-history' && usage !== 'organization-trail' && usage !== 'athena') {
          throw new UsageError(`--usage must be event-history, organization-trail or athena, not ${JSON.stringify(usage)}`);
        }
        const usageProblem = await demoUsageProblem(usage);
        if (usageProblem) throw new UsageError(usageProblem);
        const result = await runDemo({ config, log, seed: values.seed ? Number(values.seed) : 42, usage });
        process.stdout.write(`${summarize(result)}\n`);
        if (result.emailFile) process.stdout.write(`The email as the emulated SES received it: ${result.emailFile}\n`);
        for (const o of result.ownerEmails ?? []) process.stdout.write(`  ${o.owner}'s email (${EMAIL_HOW[o.mode]}) to ${o.to.join(', ')}: ${o.file}\n`);
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
        // One heartbeat per scheduled run, created when it starts (validated now, not at the first run).
        heartbeatSeconds(env);
        const { progressReporter } = await import('./progress.js');
        await scheduleCommand({ config, log, progress: () => progressReporter(progressOptions(config)) });
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
    if (e instanceof InterruptedError) {
      log('run.stopped', { signal: e.signal, stage: e.stage, detail: e.message }, 'warn');
      process.stderr.write(`access-review: ${e.message}\n`);
      return e.exitCode;
    }
    // No credentials is a setup step, not a crash: say what to set, where it runs, without a stack trace.
    if (isMissingCredentials(e)) {
      process.stderr.write(MISSING_CREDENTIALS);
      return EXIT.usage;
    }
    log('run.failed', { error: (e as Error).message, stack: (e as Error).stack }, 'error');
    process.stderr.write(`access-review: ${(e as Error).message}\n`);
    return EXIT.failure;
  }
}

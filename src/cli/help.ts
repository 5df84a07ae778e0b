/**
 * The commands and options as the user sees them: one table drives the global help, each command's own
 * `--help`, which options a command accepts, and the "did you mean" for a mistyped command or flag.
 * No heavy imports: `--help` must start without the SDK or the browser.
 */
import { TOOL } from '../package-root.js';

export const OPTIONS = {
  config: { type: 'string', short: 'c' },
  out: { type: 'string', short: 'o' },
  'no-pdf': { type: 'boolean' },
  'fail-on': { type: 'string' },
  snapshot: { type: 'string' },
  previous: { type: 'string' },
  seed: { type: 'string' },
  usage: { type: 'string' },
  group: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'allow-missing': { type: 'boolean' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type OptionName = keyof typeof OPTIONS;

const OPTION_HELP: Record<OptionName, string> = {
  config: '-c, --config <src>   Config: a JSON file, s3://bucket/key, ssm:/parameter-name or inline JSON\n                       (default: ACCESS_REVIEW_CONFIG); see schemas/config.schema.json',
  out: '-o, --out <dir>      Local output folder (each run in <dir>/runs/<runId>/, newest copied to <dir>/)',
  'no-pdf': '    --no-pdf         Skip the PDF (no Chromium needed)',
  'fail-on': '    --fail-on <sev>  Exit 4 when open findings of this severity or worse exist (critical, high, medium, low, info)',
  snapshot: '    --snapshot <f>   The snapshot.json to analyze',
  previous: '    --previous <f>   The previous review.json, for "changes since the previous review"',
  seed: '    --seed <n>       Synthetic organization seed (default 42)',
  usage: '    --usage <src>    Where usage comes from: event-history (default), organization-trail\n                       (the emulator then also delivers its history as trail log files to S3), or\n                       athena (the same files, queried through the emulator\'s Athena)',
  group: '    --group <name>   The run group the shards wrote (ACCESS_REVIEW_RUN_GROUP)',
  since: '    --since <date>   Runs on or after YYYY-MM-DD',
  until: '    --until <date>   Runs on or before YYYY-MM-DD',
  'allow-missing': '    --allow-missing  Review the parts present, marking missing shards\' accounts as gaps',
  json: '    --json           Machine-readable output',
  markdown: '    --markdown       Markdown output',
  help: '-h, --help           This help',
  version: '-v, --version        Print the version',
};

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: OptionName[];
  details?: string;
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    summary: 'Collect from AWS, analyze, render and deliver one review\n                       (with scope.shard: collect one shard; the last shard merges and delivers).',
    usage: 'access-review run [--config src] [--out dir] [--no-pdf] [--fail-on sev]',
    options: ['config', 'out', 'no-pdf', 'fail-on'],
    details: 'On SIGTERM the run goes on and finishes its archive; a second signal exits at once.',
  },
  {
    name: 'merge',
    summary: 'Merge a sharded collection\'s parts and deliver the review (--group).',
    usage: 'access-review merge --group name [--allow-missing] [--config src] [--out dir] [--no-pdf] [--fail-on sev]',
    options: ['group', 'allow-missing', 'config', 'out', 'no-pdf', 'fail-on'],
  },
  {
    name: 'check',
    summary: 'Preflight: every permission, the mail route and the PDF printer, read-only.',
    usage: 'access-review check [--config src] [--no-pdf]',
    options: ['config', 'no-pdf'],
    details: 'Exit 5 when a check failed; the failures are listed first.',
  },
  {
    name: 'analyze',
    summary: 'Re-analyze and render a stored snapshot (no AWS calls).',
    usage: 'access-review analyze --snapshot snapshot.json --out dir [--previous review.json] [--no-pdf] [--fail-on sev]',
    options: ['snapshot', 'previous', 'config', 'out', 'no-pdf', 'fail-on'],
  },
  {
    name: 'schedule',
    summary: 'Stay running and start a review on the configured cron (no overlap).',
    usage: 'access-review schedule [--config src] [--out dir] [--no-pdf]',
    options: ['config', 'out', 'no-pdf'],
    details: 'Runs the preflight at start. On SIGTERM it stops scheduling and lets a run in progress finish.',
  },
  {
    name: 'demo',
    summary: 'Run the whole job against the embedded local AWS emulator.',
    usage: 'access-review demo [--out dir] [--seed n] [--usage event-history|organization-trail|athena] [--no-pdf]',
    options: ['out', 'seed', 'usage', 'no-pdf', 'fail-on', 'config'],
  },
  {
    name: 'rules',
    summary: 'List the rule catalogue.',
    usage: 'access-review rules [--json | --markdown]',
    options: ['json', 'markdown'],
  },
  {
    name: 'verify',
    summary: 'Check a run\'s artifacts against its manifest (local folder or s3://bucket/prefix).',
    usage: 'access-review verify <run folder | s3://bucket/prefix/of/run> [--config src]',
    options: ['config'],
  },
  {
    name: 'list',
    summary: 'The archived runs by scope and date, complete or not.',
    usage: 'access-review list [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--json] [--config src]',
    options: ['since', 'until', 'json', 'config'],
  },
  {
    name: 'config',
    summary: 'Check the configuration (config validate) or show it with where each value came from (config print).',
    usage: 'access-review config validate|print [--config src] [--out dir] [--no-pdf] [--json]',
    options: ['config', 'out', 'no-pdf', 'json'],
    details: 'Reads the config exactly as run would (file, S3, SSM or inline JSON, then the environment).\nprint redacts secrets; --json prints { config, sources }.',
  },
];

const GLOBAL: OptionName[] = ['help', 'version'];

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

const EXIT_CODES = `Exit codes: 0 done, 1 unexpected failure, 2 usage or configuration error,
            3 report produced but delivery failed, 4 findings at or above --fail-on,
            5 (check) a preflight check failed.`;

export function globalHelp(): string {
  const commands = COMMANDS.map((c) => `  ${c.name.padEnd(21)}${c.summary}`).join('\n');
  return `access-review ${TOOL.version} — permission review of cross-account access in AWS

Usage: access-review <command> [options]
       access-review <command> --help    (that command's options)

Commands:
${commands}

Options:
  ${OPTION_HELP.help}
  ${OPTION_HELP.version}

${EXIT_CODES}
`;
}

export function commandHelp(spec: CommandSpec): string {
  const options = [...spec.options, 'help' as const].map((o) => `  ${OPTION_HELP[o]}`).join('\n');
  return `access-review ${spec.name} — ${spec.summary.replace(/\n\s+/g, ' ')}

Usage: ${spec.usage}

Options:
${options}
${spec.details ? `\n${spec.details}\n` : ''}
${EXIT_CODES}
`;
}

/** Options a command accepts, as typed on the command line (--config, -c). */
export function allowedOptions(spec: CommandSpec | undefined): OptionName[] {
  return [...(spec?.options ?? []), ...GLOBAL];
}

/** Optimal string alignment distance: a transposition counts as one edit (--cofnig -> --config). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The closest candidate, if it is close enough to be what was meant (at most a third of it mistyped). */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(input.toLowerCase(), c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  if (!best) return undefined;
  // A prefix is a strong hint too: --conf for --config.
  if (best.d <= Math.max(1, Math.floor(best.c.length / 3)) || best.c.startsWith(input)) return best.c;
  return undefined;
}

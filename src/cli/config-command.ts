/**
 * `config validate` and `config print`: the configuration exactly as `run` would resolve it (defaults, then
 * the file/S3/SSM/inline config, then the environment, then command-line flags), and for print, where each
 * value came from. Secrets are never printed. Loads the validator, never the AWS SDK for a local config.
 */
import type { Config } from '../config/config.js';
import { readConfigSource, readEnv, resolveConfig } from '../config/load-config.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf paths of a config-shaped value; arrays are leaves (they replace, never merge). */
function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isObject(value)) {
    if (prefix) out.set(prefix, value);
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    for (const [p, x] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(p, x);
  }
  return out;
}

const SECRET_PATHS = new Set(['scope.memberRoleExternalId']);
const isSecret = (path: string): boolean => SECRET_PATHS.has(path) || /password|secret|token/i.test(path);

export interface EffectiveConfig {
  config: Config;
  /** Config path -> "default", the config source (file, s3://..., ssm:...), "env VARIABLE" or the flag that set it. */
  sources: Record<string, string>;
}

export async function effectiveConfig(file: string | undefined, env: NodeJS.ProcessEnv, flags: { out?: string; noPdf?: boolean }): Promise<EffectiveConfig> {
  const loaded = await readConfigSource(file, env);
  const config = loaded ? resolveConfig(loaded.value, env, loaded.source) : resolveConfig(undefined, env);
  if (flags.out) config.output.dir = flags.out;
  if (flags.noPdf) config.output.formats = config.output.formats.filter((f) => f !== 'pdf');
  const fromFile = leaves(loaded?.value);
  const fromEnv = readEnv(env).sources;
  const sources: Record<string, string> = {};
  for (const path of leaves(config).keys()) {
    const envVar = [...fromEnv.entries()].find(([p]) => path === p || path.startsWith(`${p}.`))?.[1];
    const flag = path === 'output.dir' && flags.out ? '--out' : path === 'output.formats' && flags.noPdf ? '--no-pdf' : undefined;
    sources[path] = flag ?? (envVar ? `env ${envVar}` : fromFile.has(path) && loaded ? loaded.source : 'default');
  }
  return { config: redact(config), sources };
}

function redact<T>(value: T, prefix = ''): T {
  if (Array.isArray(value)) return value.map((v) => redact(v, prefix)) as T;
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    out[k] = isSecret(path) && v !== undefined ? '(redacted)' : redact(v, path);
  }
  return out as T;
}

export function formatEffectiveConfig(e: EffectiveConfig, env: NodeJS.ProcessEnv): string {
  const rows = [...leaves(e.config).entries()].map(([path, value]) => [path, JSON.stringify(value), e.sources[path] ?? 'default'] as const);
  if (env.ACCESS_REVIEW_SMTP_PASSWORD) rows.push(['email.smtp.password', '(redacted)', 'env ACCESS_REVIEW_SMTP_PASSWORD']);
  const width = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.min(60, Math.max(...rows.map((r) => r[1].length)));
  return `${rows.map(([p, v, s]) => `${p.padEnd(width)}  ${v.padEnd(valueWidth)}  ${s}`).join('\n')}\n`;
}

export function describeValid(source: string | undefined, config: Config): string {
  const parts = [
    `scope ${config.scope.mode}`,
    `regions ${config.regions.join(', ')}`,
    config.archive.bucket ? `archive s3://${config.archive.bucket}/${config.archive.prefix}` : 'no archive',
    config.email ? `email to ${config.email.to.length + config.email.cc.length} recipient(s) via ${config.email.transport.toUpperCase()}` : 'no email',
    config.securityHub?.enabled ? 'Security Hub export' : undefined,
    config.scope.shard ? `shard ${config.scope.shard.index} of ${config.scope.shard.count}` : undefined,
  ].filter(Boolean);
  return `The configuration is valid (${source ?? 'defaults and environment'}): ${parts.join('; ')}.\n`;
}

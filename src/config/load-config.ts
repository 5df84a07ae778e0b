import { readFile } from 'node:fs/promises';
import { DEFAULT_CONFIG, EMAIL_DEFAULTS, SMTP_DEFAULTS, type Config } from './config.js';
import { validateAgainst } from './validate.js';
import { ConfigError } from './config-error.js';

export { ConfigError };

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays and scalars from `over` replace those of `base`. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) return (over === undefined ? base : over) as T;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v !== undefined) out[k] = deepMerge(out[k], v);
  }
  return out as T;
}

const csv = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** A boolean from the environment in any of the usual spellings; anything else names the variable. */
export function envBoolean(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ConfigError(`environment variable ${name} must be true or false (also 1/0, yes/no, on/off), not ${JSON.stringify(value)}`);
}

/** Environment overrides, as a partial config (so the file and env are validated the same way). */
export function configFromEnv(env: NodeJS.ProcessEnv): Json {
  const o: Json = {};
  const set = (pathParts: string[], value: unknown): void => {
    let node = o;
    for (const p of pathParts.slice(0, -1)) {
      if (!isObject(node[p])) node[p] = {};
      node = node[p] as Json;
    }
    node[pathParts[pathParts.length - 1] as string] = value;
  };
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) set(['aws', 'region'], region);
  if (env.ACCESS_REVIEW_MODE) set(['scope', 'mode'], env.ACCESS_REVIEW_MODE);
  if (env.ACCESS_REVIEW_ACCOUNTS) set(['scope', 'accounts'], csv(env.ACCESS_REVIEW_ACCOUNTS));
  if (env.ACCESS_REVIEW_MEMBER_ROLE) set(['scope', 'memberRoleName'], env.ACCESS_REVIEW_MEMBER_ROLE);
  if (env.ACCESS_REVIEW_REGIONS) set(['regions'], csv(env.ACCESS_REVIEW_REGIONS));
  if (env.ACCESS_REVIEW_S3_FORCE_PATH_STYLE) set(['aws', 's3ForcePathStyle'], envBoolean('ACCESS_REVIEW_S3_FORCE_PATH_STYLE', env.ACCESS_REVIEW_S3_FORCE_PATH_STYLE));
  if (env.ACCESS_REVIEW_BUCKET) set(['archive', 'bucket'], env.ACCESS_REVIEW_BUCKET);
  if (env.ACCESS_REVIEW_PREFIX !== undefined) set(['archive', 'prefix'], env.ACCESS_REVIEW_PREFIX);
  if (env.ACCESS_REVIEW_KMS_KEY_ID) set(['archive', 'kmsKeyId'], env.ACCESS_REVIEW_KMS_KEY_ID);
  if (env.ACCESS_REVIEW_OUT_DIR) set(['output', 'dir'], env.ACCESS_REVIEW_OUT_DIR);
  if (env.ACCESS_REVIEW_SCHEDULE) set(['schedule', 'cron'], env.ACCESS_REVIEW_SCHEDULE);
  if (env.ACCESS_REVIEW_LOOKBACK_DAYS) set(['cloudtrail', 'lookbackDays'], Number(env.ACCESS_REVIEW_LOOKBACK_DAYS));
  // Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX in every pod; the count and group come from the manifest.
  const shardIndex = env.ACCESS_REVIEW_SHARD_INDEX ?? (env.ACCESS_REVIEW_SHARD_COUNT ? env.JOB_COMPLETION_INDEX : undefined);
  if (env.ACCESS_REVIEW_SHARD_COUNT) set(['scope', 'shard'], { index: Number(shardIndex ?? Number.NaN), count: Number(env.ACCESS_REVIEW_SHARD_COUNT) });
  if (env.ACCESS_REVIEW_RUN_GROUP) set(['scope', 'runGroup'], env.ACCESS_REVIEW_RUN_GROUP);
  if (env.ACCESS_REVIEW_EMAIL_TO) set(['email', 'to'], csv(env.ACCESS_REVIEW_EMAIL_TO));
  if (env.ACCESS_REVIEW_EMAIL_FROM) set(['email', 'from'], env.ACCESS_REVIEW_EMAIL_FROM);
  if (env.ACCESS_REVIEW_SMTP_HOST) {
    set(['email', 'transport'], 'smtp');
    set(['email', 'smtp', 'host'], env.ACCESS_REVIEW_SMTP_HOST);
  }
  if (env.ACCESS_REVIEW_SMTP_PORT) set(['email', 'smtp', 'port'], Number(env.ACCESS_REVIEW_SMTP_PORT));
  if (env.ACCESS_REVIEW_SMTP_USER) set(['email', 'smtp', 'username'], env.ACCESS_REVIEW_SMTP_USER);
  const chromium = env.CHROMIUM_PATH ?? env.PUPPETEER_EXECUTABLE_PATH;
  if (chromium) set(['chromiumPath'], chromium);
  return o;
}

/** Pure: defaults <- file <- environment, validated as a whole. */
export function resolveConfig(file: unknown, env: NodeJS.ProcessEnv, source = 'config'): Config {
  if (file !== undefined && !isObject(file)) throw new ConfigError(`${source}: must be a JSON object`);
  // The email recipients may come from the environment and the sender from the file, so the email
  // section is judged once both are merged.
  const { email: _fileEmail, ...fileWithoutEmail } = file ?? {};
  const fileErrors = validateAgainst('config.schema.json', fileWithoutEmail);
  if (fileErrors.length > 0) throw new ConfigError(`${source} is invalid:\n  ${fileErrors.join('\n  ')}`);
  const fromEnv = configFromEnv(env);
  const { email: _envEmail, ...envWithoutEmail } = fromEnv;
  const envErrors = validateAgainst('config.schema.json', envWithoutEmail);
  if (envErrors.length > 0) throw new ConfigError(`environment variables are invalid:\n  ${envErrors.join('\n  ')}`);
  const merged = deepMerge(deepMerge(DEFAULT_CONFIG, file), fromEnv);
  checkSharding(merged);
  if (merged.email === undefined) return merged;
  const emailErrors = validateAgainst('config.schema.json', { email: merged.email });
  if (emailErrors.length > 0 || !isObject(merged.email)) {
    throw new ConfigError(`the email settings (${source} and ACCESS_REVIEW_EMAIL_*) are invalid:\n  ${emailErrors.join('\n  ')}`);
  }
  const email = { ...EMAIL_DEFAULTS, ...merged.email };
  if (email.smtp) email.smtp = { ...SMTP_DEFAULTS, ...email.smtp };
  return { ...merged, email };
}

/** What the schema cannot say: a shard index below the count, and what a sharded run needs. */
function checkSharding(config: Config): void {
  const shard = config.scope.shard;
  if (!shard) return;
  const problems: string[] = [];
  if (!Number.isInteger(shard.index) || shard.index >= shard.count) {
    problems.push(`scope.shard.index must be an integer from 0 to ${shard.count - 1} (set ACCESS_REVIEW_SHARD_INDEX, or run as a Kubernetes Indexed Job)`);
  }
  if (config.scope.mode !== 'organization') problems.push('scope.shard needs scope.mode "organization"');
  if (!config.scope.runGroup) problems.push('scope.shard needs scope.runGroup (ACCESS_REVIEW_RUN_GROUP), the same in every shard of one collection');
  if (!config.archive.bucket) problems.push('scope.shard needs archive.bucket: the shards meet there');
  if (problems.length > 0) throw new ConfigError(`sharded collection is misconfigured:\n  ${problems.join('\n  ')}`);
}

export async function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv): Promise<Config> {
  const path = file ?? env.ACCESS_REVIEW_CONFIG;
  if (!path) return resolveConfig(undefined, env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    // Editors on Windows save "UTF-8" with a byte-order mark; it is not part of the JSON.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return resolveConfig(parsed, env, path);
}

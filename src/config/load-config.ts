import { ATHENA_DEFAULTS, DEFAULT_CONFIG, EMAIL_DEFAULTS, SMTP_DEFAULTS, TRAIL_DEFAULTS, type Config } from './config.js';
import { validateAgainst } from './validate.js';
import { ConfigError } from './config-error.js';
import { describeLocation, parseConfigLocation, readConfigText, type ConfigLocation } from './config-location.js';
import { ownerId } from '../model/owner-id.js';
import type { OwnerEntry } from '../model/ownership.js';

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

/** One environment variable and the config path it sets; `parse` turns its text into the config value. */
interface EnvBinding {
  names: string[];
  path: string;
  parse?: (value: string, name: string) => unknown;
}

const text = (v: string): string => v;
const number = (v: string): unknown => (/^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v);
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** A boolean from the environment in any of the usual spellings; anything else names the variable. */
export function envBoolean(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ConfigError(`environment variable ${name} must be true or false (also 1/0, yes/no, on/off), not ${JSON.stringify(value)}`);
}

const bool = (v: string, name: string): boolean => envBoolean(name, v);

/** Every variable that overrides a config value. The first name of a binding that is set wins. */
export const ENV_BINDINGS: readonly EnvBinding[] = [
  { names: ['AWS_REGION', 'AWS_DEFAULT_REGION'], path: 'aws.region' },
  { names: ['ACCESS_REVIEW_MODE'], path: 'scope.mode' },
  { names: ['ACCESS_REVIEW_ACCOUNTS'], path: 'scope.accounts', parse: csv },
  { names: ['ACCESS_REVIEW_MEMBER_ROLE'], path: 'scope.memberRoleName' },
  { names: ['ACCESS_REVIEW_MEMBER_ROLE_EXTERNAL_ID'], path: 'scope.memberRoleExternalId' },
  { names: ['ACCESS_REVIEW_REGIONS'], path: 'regions', parse: csv },
  { names: ['ACCESS_REVIEW_S3_FORCE_PATH_STYLE'], path: 'aws.s3ForcePathStyle', parse: bool },
  { names: ['ACCESS_REVIEW_BUCKET'], path: 'archive.bucket' },
  { names: ['ACCESS_REVIEW_PREFIX'], path: 'archive.prefix' },
  { names: ['ACCESS_REVIEW_KMS_KEY_ID'], path: 'archive.kmsKeyId' },
  { names: ['ACCESS_REVIEW_OUT_DIR'], path: 'output.dir' },
  { names: ['ACCESS_REVIEW_SCHEDULE'], path: 'schedule.cron' },
  { names: ['ACCESS_REVIEW_LOOKBACK_DAYS'], path: 'cloudtrail.lookbackDays', parse: number },
  { names: ['ACCESS_REVIEW_USAGE_SOURCE'], path: 'cloudtrail.source' },
  { names: ['ACCESS_REVIEW_TRAIL_BUCKET'], path: 'cloudtrail.organizationTrail.bucket' },
  { names: ['ACCESS_REVIEW_TRAIL_PREFIX'], path: 'cloudtrail.organizationTrail.prefix' },
  { names: ['ACCESS_REVIEW_TRAIL_ORGANIZATION_ID'], path: 'cloudtrail.organizationTrail.organizationId' },
  { names: ['ACCESS_REVIEW_TRAIL_KMS_KEY_ID'], path: 'cloudtrail.organizationTrail.kmsKeyId' },
  { names: ['ACCESS_REVIEW_TRAIL_REGION'], path: 'cloudtrail.organizationTrail.region' },
  { names: ['ACCESS_REVIEW_ATHENA_WORKGROUP'], path: 'cloudtrail.athena.workGroup' },
  { names: ['ACCESS_REVIEW_ATHENA_DATABASE'], path: 'cloudtrail.athena.database' },
  { names: ['ACCESS_REVIEW_ATHENA_TABLE'], path: 'cloudtrail.athena.table' },
  { names: ['ACCESS_REVIEW_ATHENA_OUTPUT'], path: 'cloudtrail.athena.outputLocation' },
  { names: ['ACCESS_REVIEW_ATHENA_REGION'], path: 'cloudtrail.athena.region' },
  { names: ['ACCESS_REVIEW_RUN_GROUP'], path: 'scope.runGroup' },
  { names: ['ACCESS_REVIEW_EMAIL_TO'], path: 'email.to', parse: csv },
  { names: ['ACCESS_REVIEW_EMAIL_FROM'], path: 'email.from' },
  { names: ['ACCESS_REVIEW_SMTP_HOST'], path: 'email.smtp.host' },
  { names: ['ACCESS_REVIEW_SMTP_PORT'], path: 'email.smtp.port', parse: number },
  { names: ['ACCESS_REVIEW_SMTP_USER'], path: 'email.smtp.username' },
  { names: ['ACCESS_REVIEW_SECURITY_HUB'], path: 'securityHub.enabled', parse: bool },
  { names: ['CHROMIUM_PATH', 'PUPPETEER_EXECUTABLE_PATH'], path: 'chromiumPath' },
];

/** Environment overrides as a partial config, and which variable set each config path. */
export function readEnv(env: NodeJS.ProcessEnv): { values: Json; sources: Map<string, string> } {
  const values: Json = {};
  const sources = new Map<string, string>();
  const set = (dotted: string, value: unknown, from: string): void => {
    const parts = dotted.split('.');
    let node = values;
    for (const p of parts.slice(0, -1)) {
      if (!isObject(node[p])) node[p] = {};
      node = node[p] as Json;
    }
    node[parts[parts.length - 1] as string] = value;
    sources.set(dotted, from);
  };
  for (const b of ENV_BINDINGS) {
    const name = b.names.find((n) => env[n] !== undefined && (env[n] !== '' || n === 'ACCESS_REVIEW_PREFIX'));
    if (name) set(b.path, (b.parse ?? text)(env[name] as string, name), name);
  }
  // An SMTP host alone selects the relay.
  if (sources.has('email.smtp.host')) set('email.transport', 'smtp', sources.get('email.smtp.host') as string);
  // Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX in every pod; the count and group come from the manifest.
  if (env.ACCESS_REVIEW_SHARD_COUNT) {
    const indexVar = env.ACCESS_REVIEW_SHARD_INDEX === undefined && env.JOB_COMPLETION_INDEX !== undefined ? 'JOB_COMPLETION_INDEX' : 'ACCESS_REVIEW_SHARD_INDEX';
    const index = env[indexVar];
    set('scope.shard.index', index === undefined ? Number.NaN : number(index), indexVar);
    set('scope.shard.count', number(env.ACCESS_REVIEW_SHARD_COUNT), 'ACCESS_REVIEW_SHARD_COUNT');
  }
  return { values, sources };
}

export function configFromEnv(env: NodeJS.ProcessEnv): Json {
  return readEnv(env).values;
}

/**
 * Names the variable behind a schema message ("/scope/mode: must be ...") when the environment set that
 * path, so the error says what to change: ACCESS_REVIEW_MODE="galaxy" (scope.mode): must be ...
 */
function nameVariables(messages: string[], sources: Map<string, string>, env: NodeJS.ProcessEnv): string[] {
  return messages.map((m) => {
    const colon = m.indexOf(': ');
    if (!m.startsWith('/') || colon < 0) return m;
    const parts = m.slice(1, colon).split('/');
    for (let n = parts.length; n > 0; n--) {
      const dotted = parts.slice(0, n).join('.');
      const name = sources.get(dotted);
      if (name) return `${env[name] === undefined ? `${name} (not set)` : `${name}=${JSON.stringify(env[name])}`} (${parts.join('.')}): ${m.slice(colon + 2)}`;
    }
    return m;
  });
}

/** A requirement the other source may meet: judged on the merged settings instead. */
function completedLater(message: string): boolean {
  return message === "/cloudtrail/organizationTrail: must have required property 'bucket'";
}

/** Pure: defaults <- file <- environment, validated as a whole. */
export function resolveConfig(file: unknown, env: NodeJS.ProcessEnv, source = 'config'): Config {
  if (file !== undefined && !isObject(file)) throw new ConfigError(`${source}: must be a JSON object`);
  // The email recipients may come from the environment and the sender from the file, so the email
  // section is judged once both are merged; so is the trail's bucket, which either may name.
  const { email: _fileEmail, ...fileWithoutEmail } = file ?? {};
  const fileErrors = validateAgainst('config.schema.json', fileWithoutEmail).filter((m) => !completedLater(m));
  if (fileErrors.length > 0) throw new ConfigError(`${source} is invalid:\n  ${fileErrors.join('\n  ')}`);
  const { values: fromEnv, sources } = readEnv(env);
  const { email: _envEmail, ...envWithoutEmail } = fromEnv;
  const envErrors = nameVariables(validateAgainst('config.schema.json', envWithoutEmail).filter((m) => !completedLater(m)), sources, env);
  if (envErrors.length > 0) throw new ConfigError(`environment variables are invalid:\n  ${envErrors.join('\n  ')}`);
  // A copy of the defaults: deepMerge keeps the base's objects where nothing overrides them, and a caller that
  // adjusts its resolved config (a test, a long-running schedule) must not change the next run's defaults.
  const merged = deepMerge(deepMerge(structuredClone(DEFAULT_CONFIG), file), fromEnv);
  const trailErrors = nameVariables(validateAgainst('config.schema.json', { cloudtrail: merged.cloudtrail }), sources, env);
  if (trailErrors.length > 0) throw new ConfigError(`the cloudtrail settings (${source} and ACCESS_REVIEW_TRAIL_*) are invalid:\n  ${trailErrors.join('\n  ')}`);
  checkSharding(merged);
  checkUsageSource(merged);
  merged.owners = { ...merged.owners, list: merged.owners.list.map(ownerEntry) };
  checkOwners(merged);
  // Both regions are written out (aws.region unless set), so `config print`, the digest and the report say
  // where the trail and Athena were looked for.
  if (merged.cloudtrail.organizationTrail) {
    merged.cloudtrail = { ...merged.cloudtrail, organizationTrail: { ...TRAIL_DEFAULTS, region: merged.aws.region, ...merged.cloudtrail.organizationTrail } };
  }
  if (merged.cloudtrail.athena) merged.cloudtrail = { ...merged.cloudtrail, athena: { ...ATHENA_DEFAULTS, region: merged.aws.region, ...merged.cloudtrail.athena } };
  if (merged.email === undefined) return merged;
  const emailErrors = nameVariables(validateAgainst('config.schema.json', { email: merged.email }), sources, env);
  if (emailErrors.length > 0 || !isObject(merged.email)) {
    throw new ConfigError(`the email settings (${source} and ACCESS_REVIEW_EMAIL_*) are invalid:\n  ${emailErrors.join('\n  ')}`);
  }
  const email = { ...EMAIL_DEFAULTS, ...merged.email };
  if (email.smtp) email.smtp = { ...SMTP_DEFAULTS, ...email.smtp };
  return { ...merged, email };
}

/** An owner as written, with the scope lists it left out empty. */
function ownerEntry(e: Partial<OwnerEntry> & Pick<OwnerEntry, 'name' | 'emails'>): OwnerEntry {
  return { name: e.name, emails: e.emails, accounts: e.accounts ?? [], organizationalUnits: e.organizationalUnits ?? [], accountTags: e.accountTags ?? {} };
}

/**
 * What the schema cannot say about owners: two names that are one owner once tag values meet them (same
 * id), and a name nothing can be told apart from "unassigned". Accounts and OUs the organization does not
 * have are judged once it is known (the analysis reports them, by the same paths).
 */
function checkOwners(config: Config): void {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  config.owners.list.forEach((entry, i) => {
    const path = `owners.list[${i}].name`;
    if (entry.name.trim() === '') problems.push(`${path}: must name the owner`);
    else if (entry.name.trim().toLowerCase() === 'unassigned') problems.push(`${path}: "unassigned" is what the report calls roles nobody owns; choose another name`);
    const id = ownerId(entry.name);
    const earlier = seen.get(id);
    if (earlier !== undefined) problems.push(`${path}: ${JSON.stringify(entry.name)} is the same owner as owners.list[${earlier}] (${JSON.stringify(config.owners.list[earlier]?.name)}): names are matched ignoring case, spaces and punctuation`);
    else seen.set(id, i);
  });
  if (problems.length > 0) throw new ConfigError(`owners are misconfigured:\n  ${problems.join('\n  ')}`);
}

/** The trail source needs a trail to read. */
function checkUsageSource(config: Config): void {
  if (config.cloudtrail.source === 'organization-trail' && !config.cloudtrail.organizationTrail) {
    throw new ConfigError('cloudtrail.source "organization-trail" needs cloudtrail.organizationTrail.bucket (ACCESS_REVIEW_TRAIL_BUCKET): the S3 bucket the trail delivers to');
  }
  const athena = config.cloudtrail.athena;
  if (config.cloudtrail.source === 'athena' && !athena) {
    throw new ConfigError('cloudtrail.source "athena" needs cloudtrail.athena (ACCESS_REVIEW_ATHENA_*): at least the workgroup, database and table, or table "create"');
  }
  // "create" writes the table's LOCATION from the trail's bucket, prefix and organization id.
  if (athena && (athena.table ?? 'create') === 'create' && !config.cloudtrail.organizationTrail) {
    throw new ConfigError('cloudtrail.athena.table "create" needs cloudtrail.organizationTrail (bucket, prefix, organizationId): the table is created over the trail\'s log files. Name an existing CloudTrail table instead to leave the trail settings out.');
  }
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

/**
 * `--config` or ACCESS_REVIEW_CONFIG: a file path, s3://bucket/key, ssm:/parameter-name, or the JSON itself.
 * Wherever it comes from, it is validated the same way.
 */
export async function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv): Promise<Config> {
  const loaded = await readConfigSource(file, env);
  return loaded ? resolveConfig(loaded.value, env, loaded.source) : resolveConfig(undefined, env);
}

/** The config as written (parsed JSON) and how to name its source in messages; undefined when none is set. */
export async function readConfigSource(file: string | undefined, env: NodeJS.ProcessEnv): Promise<{ value: unknown; source: string } | undefined> {
  const raw = file ?? env.ACCESS_REVIEW_CONFIG;
  if (raw === undefined || raw === '') return undefined;
  const variable = file === undefined ? 'ACCESS_REVIEW_CONFIG' : '--config';
  let location: ConfigLocation;
  try {
    location = parseConfigLocation(raw);
  } catch (e) {
    throw new ConfigError(`${variable}: ${(e as Error).message}`);
  }
  const source = describeLocation(location, variable);
  let text: string;
  try {
    text = await readConfigText(location, env);
  } catch (e) {
    throw new ConfigError(`cannot read ${source} (${variable}): ${(e as Error).message}`);
  }
  try {
    // Editors on Windows save "UTF-8" with a byte-order mark; it is not part of the JSON.
    return { value: JSON.parse(text.replace(/^\uFEFF/, '')), source };
  } catch (e) {
    throw new ConfigError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
}

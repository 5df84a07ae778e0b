/**
 * Where the config comes from: a file, an S3 object (`s3://bucket/key`), an SSM parameter (`ssm:/name`), or
 * JSON in the variable itself. A Fargate task has no file system to mount a config into, and its
 * environment variables cover only part of the settings (suppressions, vendors and the like are lists of
 * objects); S3 and SSM keep the whole config where the task role can read it.
 */
export type ConfigLocation =
  | { kind: 'file'; path: string }
  | { kind: 's3'; bucket: string; key: string }
  | { kind: 'ssm'; name: string }
  | { kind: 'inline'; text: string };

export function parseConfigLocation(value: string): ConfigLocation {
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) return { kind: 'inline', text: trimmed };
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(trimmed);
  if (s3) return { kind: 's3', bucket: s3[1] as string, key: s3[2] as string };
  if (trimmed.startsWith('s3://')) throw new Error(`${trimmed} is not s3://bucket/key`);
  if (trimmed.startsWith('ssm:')) {
    const name = trimmed.slice(4);
    if (!/^[A-Za-z0-9_.\-/]{1,2048}$/.test(name)) throw new Error(`${trimmed} is not ssm:<parameter name> (e.g. ssm:/access-review/config)`);
    return { kind: 'ssm', name };
  }
  return { kind: 'file', path: value };
}

/** How errors name the source: the path, the URI, or "the inline JSON of <variable>". */
export function describeLocation(loc: ConfigLocation, variable?: string): string {
  switch (loc.kind) {
    case 'file':
      return `config file ${loc.path}`;
    case 's3':
      return `config s3://${loc.bucket}/${loc.key}`;
    case 'ssm':
      return `config ssm:${loc.name}`;
    case 'inline':
      return `the JSON config in ${variable ?? '--config'}`;
  }
}

/**
 * The config text. S3 and SSM are read with the SDK's default credentials, region and endpoint settings
 * (AWS_REGION, AWS_ENDPOINT_URL...): the config is not loaded yet, so they cannot come from it. The clients
 * are imported here, only for those locations, so a local config starts without the SDK.
 */
/** Region, endpoint and keys from the given environment (the SDK alone would read only process.env). */
function clientSettings(env: NodeJS.ProcessEnv, service: 'S3' | 'SSM') {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  const keys =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
      : undefined;
  return { maxAttempts: 5, ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}), ...(keys ? { credentials: keys } : {}) };
}

export async function readConfigText(loc: ConfigLocation, env: NodeJS.ProcessEnv): Promise<string> {
  switch (loc.kind) {
    case 'inline':
      return loc.text;
    case 'file': {
      const { readFile } = await import('node:fs/promises');
      return readFile(loc.path, 'utf8');
    }
    case 's3': {
      const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
      const client = new S3Client({ ...clientSettings(env, 'S3'), forcePathStyle: env.ACCESS_REVIEW_S3_FORCE_PATH_STYLE === 'true' });
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
        if (!out.Body) throw new Error('the object has no body');
        return await out.Body.transformToString('utf8');
      } finally {
        client.destroy();
      }
    }
    case 'ssm': {
      const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
      const client = new SSMClient(clientSettings(env, 'SSM'));
      try {
        // SecureString parameters are decrypted with the task role's kms:Decrypt; plain ones ignore the flag.
        const out = await client.send(new GetParameterCommand({ Name: loc.name, WithDecryption: true }));
        const value = out.Parameter?.Value;
        if (value === undefined) throw new Error('the parameter has no value');
        return value;
      } finally {
        client.destroy();
      }
    }
  }
}

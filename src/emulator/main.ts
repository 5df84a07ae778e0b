/**
 * Runs the emulator by hand: `node dist/emulator/main.js --port 4566 --seed 42`. Prints one JSON line with
 * the endpoint and the management account's credentials, then serves until SIGINT or SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEmulator, type CorpusFile } from './index.js';

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      members: { type: 'string' },
      roles: { type: 'string' },
      events: { type: 'string' },
      'lookup-rate': { type: 'string' },
      corpus: { type: 'string' },
    },
  });
  const members = intOption(values.members, 'members');
  const roles = intOption(values.roles, 'roles');
  const events = intOption(values.events, 'events');
  const port = intOption(values.port, 'port');
  const seed = intOption(values.seed, 'seed');
  const rate = intOption(values['lookup-rate'], 'lookup-rate');
  // A corpus file: { roles: [...], policies: [...] } as described in corpus.ts.
  const corpus = values.corpus !== undefined ? (JSON.parse(readFileSync(values.corpus, 'utf8')) as CorpusFile) : undefined;
  const emulator = await startEmulator({
    ...(seed !== undefined ? { seed } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(rate !== undefined ? { lookupEventsPerSecond: rate } : {}),
    ...(corpus !== undefined ? { corpus } : {}),
    org: {
      ...(members !== undefined ? { memberAccounts: members } : {}),
      ...(roles !== undefined ? { rolesPerAccount: roles } : {}),
      ...(events !== undefined ? { eventsPerAccount: events } : {}),
    },
  });
  process.stdout.write(
    JSON.stringify({
      endpoint: emulator.endpoint,
      region: emulator.region,
      accessKeyId: emulator.credentials.accessKeyId,
      secretAccessKey: emulator.credentials.secretAccessKey,
      managementAccountId: emulator.org.organization.managementAccountId,
      organizationId: emulator.org.organization.id,
      readOnlyRoleName: emulator.org.readOnlyRoleName,
      archiveBucket: emulator.org.archiveBucket,
      seed: emulator.org.seed,
    }) + '\n',
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

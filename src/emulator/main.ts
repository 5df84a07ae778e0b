/**
 * Runs the emulator by hand: `node dist/emulator/main.js --port 4566 --seed 42`. Prints one JSON line with
 * the endpoint and the management account's credentials, then serves until SIGINT or SIGTERM.
 * `--now <ISO time>` fixes the end of the history; `--truth` adds the event counts per account, region and
 * event name to that line (`--truth-since <ISO time>`: only events from then on, a reader's window), so a benchmark can compute CloudTrail's floor from what is there rather than
 * from what a collector happened to read. `--trail` also delivers the history as organization trail log
 * files into S3 (the bucket and layout are in that line).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEmulator, type CorpusFile, type SyntheticOrg } from './index.js';

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${value}`);
  return n;
}

/** Active accountId -> region -> eventName -> events in the history (at or after `since`, when given). */
function eventCounts(org: SyntheticOrg, since?: number): Record<string, Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, Record<string, number>>> = {};
  for (const a of org.accounts) {
    if (a.status !== 'ACTIVE') continue;
    const perRegion: Record<string, Record<string, number>> = (out[a.id] = {});
    for (const e of a.events) {
      if (since !== undefined && Date.parse(e.eventTime) < since) continue;
      const perName = (perRegion[e.region] ??= {});
      perName[e.eventName] = (perName[e.eventName] ?? 0) + 1;
    }
  }
  return out;
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
      now: { type: 'string' },
      truth: { type: 'boolean', default: false },
      'truth-since': { type: 'string' },
      trail: { type: 'boolean', default: false },
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
  const now = values.now === undefined ? undefined : new Date(values.now);
  if (now && Number.isNaN(now.getTime())) throw new Error(`--now must be an ISO time, got ${values.now}`);
  const since = values['truth-since'] === undefined ? undefined : Date.parse(values['truth-since']);
  if (since !== undefined && Number.isNaN(since)) throw new Error(`--truth-since must be an ISO time, got ${values['truth-since']}`);
  const started = performance.now();
  const emulator = await startEmulator({
    ...(seed !== undefined ? { seed } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(rate !== undefined ? { lookupEventsPerSecond: rate } : {}),
    ...(corpus !== undefined ? { corpus } : {}),
    ...(now ? { now } : {}),
    ...(values.trail ? { organizationTrail: {} } : {}),
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
      ...(emulator.trail ? { trail: emulator.trail } : {}),
      seed: emulator.org.seed,
      now: emulator.org.now,
      startupSeconds: Math.round(performance.now() - started) / 1000,
      ...(values.truth ? { regions: emulator.org.regions, events: eventCounts(emulator.org, since) } : {}),
    }) + '\n',
  );
  const stop = (): void => {
    // The calls it served, as the last line: what a benchmark counts, retries and throttled calls included.
    process.stdout.write(JSON.stringify({ calls: emulator.calls() }) + '\n');
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

/**
 * The demo: the real job, end to end, against the embedded local AWS. The emulator is reached only through
 * ordinary SDK settings (endpoint, region, credentials); this is the one product module that imports it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EMAIL_DEFAULTS, type Config } from '../config/config.js';
import { ATHENA_RESULTS_BUCKET, athenaEngineProblem, startEmulator } from '../emulator/index.js';
import { runJob } from './commands.js';
import { demoOwners } from './demo-owners.js';
import type { PipelineResult } from './pipeline.js';
import type { EmailSent } from './email-step.js';
import type { Logger } from './log.js';

export interface DemoResult extends PipelineResult {
  /** The email exactly as the emulated SES received it, saved as an .eml a mail client opens. */
  emailFile?: string;
  /** Each owner's email, saved beside it as email-<owner-id>.eml, with who it went to. */
  ownerEmails?: { owner: string; to: string[]; file: string; mode: EmailSent['mode'] }[];
}

export type DemoUsage = 'event-history' | 'organization-trail' | 'athena';

/** The demo's --usage when the emulator cannot serve it: Athena's engine is a development dependency. */
export async function demoUsageProblem(usage: DemoUsage): Promise<string | undefined> {
  if (usage !== 'athena') return undefined;
  const problem = await athenaEngineProblem();
  return problem ? `demo --usage athena cannot run here: ${problem}. Run it from a checkout of access-review: npm ci, then npm run demo -- --usage athena` : undefined;
}

export async function runDemo(opts: { config: Config; log: Logger; seed: number; usage?: DemoUsage }): Promise<DemoResult> {
  const viaAthena = opts.usage === 'athena';
  const fromTrail = opts.usage === 'organization-trail' || viaAthena;
  // With the trail, the demo reviews a year: the emulator's history goes back 400 days and is delivered as
  // trail log files, and event history is not read at all. Athena queries the same files.
  const emulator = await startEmulator({ seed: opts.seed, ...(fromTrail ? { organizationTrail: {}, org: { days: 400 } } : {}) });
  opts.log('demo.emulator', { endpoint: emulator.endpoint, seed: opts.seed, usage: opts.usage ?? 'event-history' });
  try {
    // The synthetic organization's mail domain is the emulator's one verified SES identity.
    const domain = emulator.org.organization.managementAccountEmail.split('@')[1] ?? 'acme.example';
    const outDir = opts.config.output.dir ?? 'out/demo';
    const config: Config = {
      ...opts.config,
      scope: { ...opts.config.scope, mode: 'organization' },
      aws: { ...opts.config.aws, region: emulator.region, endpoint: emulator.endpoint, s3ForcePathStyle: true },
      regions: emulator.org.regions,
      ...(fromTrail && emulator.trail
        ? {
            cloudtrail: {
              ...opts.config.cloudtrail,
              source: viaAthena ? ('athena' as const) : ('organization-trail' as const),
              lookbackDays: 365,
              organizationTrail: { concurrency: 16, ...opts.config.cloudtrail.organizationTrail, bucket: emulator.trail.bucket, organizationId: emulator.org.organization.id },
              ...(viaAthena
                ? { athena: { workGroup: 'primary', database: 'default', table: 'create', catalog: 'AwsDataCatalog', maxWaitSeconds: 900, outputLocation: `s3://${ATHENA_RESULTS_BUCKET}/access-review/` } }
                : {}),
            },
          }
        : {}),
      archive: { ...opts.config.archive, bucket: emulator.org.archiveBucket },
      output: { ...opts.config.output, dir: outDir },
      owners: opts.config.owners.list.length > 0 ? opts.config.owners : { ...opts.config.owners, list: demoOwners({ domain, organizationalUnits: emulator.org.organization.organizationalUnits }) },
      email: opts.config.email ?? {
        ...EMAIL_DEFAULTS,
        from: `access-review@${domain}`,
        fromName: 'Access Review',
        to: [`security-leads@${domain}`, `ciso@${domain}`],
      },
    };
    const result: DemoResult = await runJob({ config, log: opts.log, credentials: emulator.credentials });
    // The outbox is matched by SES MessageId: the organization-wide message and each owner's are told apart.
    const outbox = emulator.outbox();
    const byId = new Map(outbox.map((m) => [m.messageId, m]));
    const sent = result.email ? byId.get(result.email.messageId) : outbox.at(-1);
    if (sent) {
      result.emailFile = path.join(outDir, 'email.eml');
      await writeFile(result.emailFile, sent.raw);
    }
    for (const report of result.owners ?? []) {
      const mail = report.email ? byId.get(report.email.messageId) : undefined;
      if (!mail || !report.email) continue;
      const file = path.join(outDir, `email-${report.owner.id}.eml`);
      await writeFile(file, mail.raw);
      (result.ownerEmails ??= []).push({ owner: report.owner.name, to: mail.destinations, file, mode: report.email.mode });
    }
    return result;
  } finally {
    await emulator.close();
  }
}

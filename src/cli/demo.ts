/**
 * The demo: the real job, end to end, against the embedded local AWS. The emulator is reached only through
 * ordinary SDK settings (endpoint, region, credentials); this is the one product module that imports it.
 */
import type { Config } from '../config/config.js';
import { startEmulator } from '../emulator/index.js';
import { runJob } from './commands.js';
import type { PipelineResult } from './pipeline.js';
import type { Logger } from './log.js';

export async function runDemo(opts: { config: Config; log: Logger; seed: number }): Promise<PipelineResult> {
  const emulator = await startEmulator({ seed: opts.seed });
  opts.log('demo.emulator', { endpoint: emulator.endpoint, seed: opts.seed });
  try {
    const config: Config = {
      ...opts.config,
      scope: { ...opts.config.scope, mode: 'organization' },
      aws: { ...opts.config.aws, region: emulator.region, endpoint: emulator.endpoint, s3ForcePathStyle: true },
      regions: emulator.org.regions,
      archive: { ...opts.config.archive, bucket: emulator.org.archiveBucket },
      output: { ...opts.config.output, dir: opts.config.output.dir ?? 'out/demo' },
    };
    return await runJob({ config, log: opts.log, credentials: emulator.credentials });
  } finally {
    await emulator.close();
  }
}

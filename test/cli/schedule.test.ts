import { describe, expect, it } from 'vitest';
import { nonOverlapping, scheduleCommand } from '../../src/cli/schedule.js';
import { resolveConfig } from '../../src/config/load-config.js';
import type { LogFields } from '../../src/cli/log.js';

describe('nonOverlapping', () => {
  it('skips a tick while a run is in progress, runs again afterwards, and survives a failed run', async () => {
    const events: [string, LogFields | undefined][] = [];
    let release!: () => void;
    let runs = 0;
    let fail = false;
    const { tick } = nonOverlapping(async () => {
      runs += 1;
      if (fail) throw new Error('boom');
      await new Promise<void>((r) => (release = r));
    }, (event, fields) => void events.push([event, fields]));
    const first = tick();
    expect(await tick()).toBe('skipped');
    release();
    expect(await first).toBe('ran');
    fail = true;
    expect(await tick()).toBe('failed');
    expect(runs).toBe(2);
    expect(events).toEqual([
      ['schedule.skipped', { reason: 'previous run still in progress' }],
      ['schedule.run.failed', { error: 'boom' }],
    ]);
  });
});

describe('idle', () => {
  it('resolves only once the run in progress has finished, so a stop never cuts a run in half', async () => {
    let release!: () => void;
    const serial = nonOverlapping(() => new Promise<void>((r) => (release = r)), () => undefined);
    await serial.idle();
    const run = serial.tick();
    let idle = false;
    const waiting = serial.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(idle).toBe(true);
    expect(await run).toBe('ran');
  });
});

describe('scheduleCommand', () => {
  it('refuses an invalid cron expression before starting', async () => {
    const config = resolveConfig({ schedule: { cron: 'every monday 6am' } }, {});
    await expect(scheduleCommand({ config, log: () => undefined })).rejects.toThrow('schedule.cron "every monday 6am" is not a valid cron expression');
  });
});

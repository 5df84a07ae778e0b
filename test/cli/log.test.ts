import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { jsonLogger, routeWarningsTo } from '../../src/cli/log.js';

describe('routeWarningsTo', () => {
  it('turns process warnings into one JSON log line each and drops the default printer', () => {
    const proc = new EventEmitter();
    let defaultPrinted = 0;
    proc.on('warning', () => defaultPrinted++);
    const lines: string[] = [];
    routeWarningsTo(jsonLogger((l) => lines.push(l), () => new Date('2026-12-06T09:00:00Z')), proc as unknown as NodeJS.Process);
    const w = Object.assign(new Error('The AWS SDK for JavaScript (v3)\nversions published after the first week of January 2027\nwill require node >=22.'), {
      name: 'NodeVersionSupportWarning',
    });
    proc.emit('warning', w);
    expect(defaultPrinted).toBe(0);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({
      time: '2026-12-06T09:00:00.000Z',
      level: 'warn',
      event: 'process.warning',
      name: 'NodeVersionSupportWarning',
      message: 'The AWS SDK for JavaScript (v3) versions published after the first week of January 2027 will require node >=22.',
    });
  });

  it('hands warnings back to the listeners it replaced when the in-process run ends', () => {
    const proc = new EventEmitter();
    const before: string[] = [];
    proc.on('warning', (w: Error) => before.push(w.message));
    const lines: string[] = [];
    const restore = routeWarningsTo(jsonLogger((l) => lines.push(l)), proc as unknown as NodeJS.Process);
    proc.emit('warning', new Error('during the run'));
    restore();
    proc.emit('warning', new Error('after the run'));
    expect(lines).toHaveLength(1);
    expect(before).toEqual(['after the run']);
    expect(proc.listenerCount('warning')).toBe(1);
  });
});

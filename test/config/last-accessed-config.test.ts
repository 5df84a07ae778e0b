import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load-config.js';

describe('config: last accessed and least privilege', () => {
  it('defaults to outside-account roles, 8 jobs at once, a 10-minute bound and the 10% / 5-service thresholds', () => {
    const config = resolveConfig({}, {});
    expect(config.lastAccessed).toEqual({ enabled: true, roles: 'outside-account', concurrency: 8, maxWaitSeconds: 600, pollSeconds: 2 });
    expect(config.analysis.leastPrivilege).toEqual({ lowUseShare: 0.1, lowUseMinServices: 5 });
    expect(resolveConfig({ lastAccessed: { roles: 'all' }, analysis: { leastPrivilege: { lowUseShare: 0.25 } } }, {})).toMatchObject({
      lastAccessed: { roles: 'all', concurrency: 8 },
      analysis: { leastPrivilege: { lowUseShare: 0.25, lowUseMinServices: 5 } },
    });
  });

  it('names bad values by path', () => {
    expect(() => resolveConfig({ lastAccessed: { roles: 'some' } }, {})).toThrow(/lastAccessed\/roles|lastAccessed\.roles/);
    expect(() => resolveConfig({ lastAccessed: { pollSeconds: 0 } }, {})).toThrow(/pollSeconds/);
    expect(() => resolveConfig({ analysis: { leastPrivilege: { lowUseShare: 1.5 } } }, {})).toThrow(/lowUseShare/);
  });
});

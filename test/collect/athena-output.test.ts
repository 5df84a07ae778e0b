import { describe, expect, it } from 'vitest';
import { bucketOf, resultLocation } from '../../src/collect/athena-output.js';

describe('where Athena writes query results', () => {
  const own = { ResultConfiguration: { OutputLocation: 's3://workgroup-results/q/' } };

  it('a workgroup that enforces its configuration wins over the configured location, which is then not the setting to change', () => {
    expect(resultLocation('s3://mine/r/', { ...own, EnforceWorkGroupConfiguration: true })).toEqual({ output: 's3://workgroup-results/q/', enforced: 's3://workgroup-results/q/', configured: false });
  });

  it('else the configured location, else the workgroup\'s own, else none', () => {
    expect(resultLocation('s3://mine/r/', { ...own, EnforceWorkGroupConfiguration: false })).toEqual({ output: 's3://mine/r/', configured: true });
    expect(resultLocation(undefined, own)).toEqual({ output: 's3://workgroup-results/q/', configured: false });
    expect(resultLocation('s3://mine/r/', undefined)).toEqual({ output: 's3://mine/r/', configured: true });
    expect(resultLocation(undefined, {})).toEqual({ configured: false });
  });

  it('names the bucket of an s3:// location', () => {
    expect(bucketOf('s3://workgroup-results/q/')).toBe('workgroup-results');
    expect(bucketOf('s3://only-bucket')).toBe('only-bucket');
    expect(bucketOf('https://example.com/x')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { rulesMarkdown } from '../../src/analyze/index.js';
import { faultMatrixMarkdown } from '../e2e/fault-matrix.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with the demo and test commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock.split('\n')[0]).toMatch(/^npm ci && npm run demo\b/);
    expect(firstBlock.split('\n')[1]).toMatch(/^npm ci && npm test\b/);
  });

  it('documents exactly the rule catalogue the code ships (npm run docs:rules regenerates it)', () => {
    const section = /<!-- rules:start -->\n([\s\S]*?)\n<!-- rules:end -->/.exec(readme)?.[1];
    expect(section).toBe(rulesMarkdown().trim());
  });

  it('shows exactly the fault matrix that test/e2e/fault-matrix.e2e.test.ts asserts row by row', () => {
    const section = /<!-- fault-matrix:start -->\n([\s\S]*?)\n<!-- fault-matrix:end -->/.exec(readme)?.[1];
    expect(section).toBe(faultMatrixMarkdown());
  });

  it('is what .ci/run runs', () => {
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(ci).toContain('npm ci --no-audit --no-fund && npm test');
  });
});

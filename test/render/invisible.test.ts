import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeAndDeliver } from '../../src/cli/pipeline.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { renderEmail } from '../../src/render/email.js';
import { csvCell } from '../../src/render/csv.js';
import { showInvisible } from '../../src/render/visible.js';
import { tinySnapshot } from '../cli/pipeline-fixture.js';

const HOSTILE = 'pay\u0000roll\u0007\u001b[31m-\u202Egnp.exe';
const SHOWN = 'pay\\u0000roll\\u0007\\u001B[31m-\\u202Egnp.exe';
const RAW = /[\u0000\u0007\u001b\u202e]/;

describe('control and bidi characters are shown, not passed through', () => {
  it('showInvisible escapes C0/C1 controls and bidi overrides, and leaves text, tabs and newlines alone', () => {
    expect(showInvisible(HOSTILE)).toBe(SHOWN);
    expect(showInvisible('a\tb\nc\r\nd é 名前')).toBe('a\tb\nc\r\nd é 名前');
    expect(showInvisible('\u2066x\u2069\u200f')).toBe('\\u2066x\\u2069\\u200F');
    expect(csvCell(`=${HOSTILE}`)).toBe(`'=${SHOWN}`);
  });

  it('in the HTML report, the CSVs and the email', async () => {
    const snapshot = tinySnapshot();
    const role = snapshot.accounts[0]!.roles[0]!;
    role.name = HOSTILE;
    role.arn = `arn:aws:iam::111111111111:role/${HOSTILE}`;
    role.tags = [{ key: 'owner', value: HOSTILE }];
    const dir = await mkdtemp(path.join(tmpdir(), 'ar-invisible-'));
    const result = await analyzeAndDeliver(snapshot, resolveConfig({ output: { dir, formats: ['html', 'csv', 'json'] } }, {}), { now: new Date('2026-11-20T12:00:00Z'), log: () => undefined });
    const html = await readFile(path.join(result.local!.runDir, 'report.html'), 'utf8');
    expect(html).not.toMatch(RAW);
    expect(html).toContain(SHOWN);
    for (const csv of ['findings.csv', 'trust-grants.csv']) {
      const text = await readFile(path.join(result.local!.runDir, csv), 'utf8');
      expect(text).not.toMatch(RAW);
      expect(text).toContain(SHOWN);
    }
    const email = await renderEmail(result.review, {});
    expect(email.html).not.toMatch(RAW);
    expect(email.text).not.toMatch(RAW);
    expect(email.text).toContain(SHOWN);
  });
});

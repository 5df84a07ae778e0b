import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, spawnTracked } from '../e2e/cli-process.js';

describe('the PDF renderer\'s Chromium profile', () => {
  it('is removed when the process exits without closing the renderer (a run stopped by a signal)', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'profile-parent-'));
    try {
      const script = `
        import { openPdfRenderer } from ${JSON.stringify(path.join(ROOT, 'dist/render/pdf.js'))};
        const { readdirSync } = await import('node:fs');
        await openPdfRenderer({ profileParent: ${JSON.stringify(parent)} });
        process.stdout.write(String(readdirSync(${JSON.stringify(parent)}).length));
        process.exit(143);
      `;
      const child = spawnTracked(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(143);
      // The profile existed while Chromium ran, and is gone once the process has exited.
      expect(out).toBe('1');
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});

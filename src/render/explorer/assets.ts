/**
 * The explorer's script and stylesheet, read from templates/ and inlined into report.html. The page's
 * Content-Security-Policy allows exactly this script by its SHA-256, so the text hashed here must be the
 * text between <script> and </script>, byte for byte.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { templateCache } from '../template-cache.js';

export interface ExplorerAssets {
  script: string;
  /** base64 SHA-256 of the script, as CSP's 'sha256-…' source expects. */
  scriptHash: string;
  css: string;
}

/**
 * The script is inlined verbatim: anything that could end its element early or that the report's
 * invisible-character pass would rewrite (which would break the hash) is refused rather than patched.
 */
export function checkInlineAsset(name: string, text: string, closer: string): void {
  if (new RegExp(`</${closer}|<!--`, 'i').test(text)) throw new Error(`access-review: templates/${name} contains "</${closer}" or "<!--" and cannot be inlined`);
  if (/[^\t\n\r\u0020-\u007e]/.test(text)) throw new Error(`access-review: templates/${name} must be printable ASCII to be inlined with a stable hash`);
}

export function scriptHash(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('base64');
}

async function load(dir: string): Promise<ExplorerAssets> {
  const [script, css] = await Promise.all([readFile(join(dir, 'explorer.js'), 'utf8'), readFile(join(dir, 'explorer.css'), 'utf8')]).catch(
    (err: unknown) => {
      throw new Error(`access-review: cannot load the report explorer from ${dir}: ${String(err)}`, { cause: err });
    },
  );
  checkInlineAsset('explorer.js', script, 'script');
  checkInlineAsset('explorer.css', css, 'style');
  return { script, scriptHash: scriptHash(script), css };
}

export const explorerAssets = templateCache(load);

/**
 * The explorer inlined into report.html: the data island, the script allowed by its hash, its styles and
 * the Content-Security-Policy that allows that script and nothing else. The printed PDF is rendered
 * without it (and printed with JavaScript off in any case), so print is the scriptless report.
 */
import type HandlebarsNamespace from 'handlebars';
import type { Review } from '../../model/review.js';
import { explorerAssets } from './assets.js';
import { buildExplorerData, islandJson } from './data.js';

export { buildExplorerData, islandJson, type ExplorerData } from './data.js';
export { checkInlineAsset, scriptHash } from './assets.js';

export interface ExplorerEmbed {
  island: string;
  script: string;
  scriptHash: string;
  css: string;
}

/**
 * No fetch, frame, form or base change; only this script (by hash), no eval, and Trusted Types with no
 * policy, so even a string-to-markup call in the script would be refused by the browser.
 */
export function explorerCsp(hash: string): string {
  if (!/^[A-Za-z0-9+/]+=*$/.test(hash)) throw new Error('access-review: the explorer script hash is not base64');
  return `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; require-trusted-types-for 'script'; trusted-types 'none'`;
}

export async function explorerEmbed(review: Review, templatesDir: string): Promise<ExplorerEmbed> {
  const assets = await explorerAssets(templatesDir);
  return { island: islandJson(buildExplorerData(review)), script: assets.script, scriptHash: assets.scriptHash, css: assets.css };
}

function rootEmbed(options: HandlebarsNamespace.HelperOptions): ExplorerEmbed | undefined {
  const data: unknown = options.data;
  if (typeof data !== 'object' || data === null || !('root' in data)) return undefined;
  const root: unknown = data.root;
  if (typeof root !== 'object' || root === null || !('explorer' in root)) return undefined;
  const e: unknown = root.explorer;
  return typeof e === 'object' && e !== null && 'island' in e && 'script' in e ? (e as ExplorerEmbed) : undefined;
}

/**
 * `{{explorer "island"|"script"|"css"|"csp"}}`: raw text for a script, style or attribute, taken from the
 * root view only. Each is safe where the partials put it: the island is ASCII JSON with "<" escaped, the
 * script and stylesheet were checked when loaded, the CSP is built from a base64 hash.
 */
export function registerExplorerHelpers(hb: typeof HandlebarsNamespace): void {
  hb.registerHelper('explorer', (part: unknown, options: HandlebarsNamespace.HelperOptions) => {
    const embed = rootEmbed(options);
    if (embed === undefined) return '';
    switch (part) {
      case 'island':
        return new hb.SafeString(embed.island);
      case 'script':
        return new hb.SafeString(embed.script);
      case 'css':
        return new hb.SafeString(embed.css);
      case 'csp':
        return new hb.SafeString(explorerCsp(embed.scriptHash));
      default:
        return '';
    }
  });
}

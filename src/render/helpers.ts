/**
 * Handlebars helpers for the report. Registered on an isolated instance (see html.ts) so nothing leaks into,
 * or in from, the global Handlebars another module may configure.
 *
 * Only four helpers return markup (SafeString): badges, charts, breakable text and the inlined stylesheet. Each builds that
 * markup itself from a closed vocabulary or escapes what it interpolates; the templates never use `{{{ }}}`.
 */
import type HandlebarsNamespace from 'handlebars';
import { PRINCIPAL_CLASSES, SEVERITIES } from '../model/review.js';
import { escapeMarkup } from './escape.js';
import { formatDateTime, formatDay, formatNumber, humanize, pluralize } from './format.js';
import type { ChartSet } from './view/types.js';

type Hbs = typeof HandlebarsNamespace;

const BADGE_TONES = new Set<string>([
  ...SEVERITIES,
  ...PRINCIPAL_CLASSES,
  'ok',
  'partial',
  'failed',
  'skipped',
  'open',
  'suppressed',
  'suppression-expired',
]);

const CHARTS: ReadonlySet<keyof ChartSet> = new Set<keyof ChartSet>(['severity', 'principalClass', 'recency', 'accounts']);

/** Handlebars passes its options object as the last argument; helpers must not mistake it for data. */
function isHelperOptions(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'hash' in v && 'data' in v;
}

function args(raw: unknown[]): unknown[] {
  return raw.length > 0 && isHelperOptions(raw[raw.length - 1]) ? raw.slice(0, -1) : raw;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

function isChartName(name: string): name is keyof ChartSet {
  return (CHARTS as ReadonlySet<string>).has(name);
}

function rootCharts(options: HandlebarsNamespace.HelperOptions): ChartSet | undefined {
  const data: unknown = options.data;
  if (typeof data !== 'object' || data === null || !('root' in data)) return undefined;
  const root: unknown = data.root;
  if (typeof root !== 'object' || root === null || !('charts' in root)) return undefined;
  const charts: unknown = root.charts;
  if (typeof charts !== 'object' || charts === null) return undefined;
  return [...CHARTS].every((k) => typeof (charts as Record<string, unknown>)[k] === 'string') ? (charts as ChartSet) : undefined;
}

/** Words this long or shorter keep their hyphens from breaking the line; longer ones may break anywhere. */
const NOWRAP_WORD = 28;

/**
 * Escapes each piece (as Handlebars' own {{ }} would), then joins with <wbr> after the separators. A
 * hyphen is a line-break opportunity too ("us-" / "east-1"), and one that copying from the PDF loses, so
 * words with hyphens are kept whole unless they are too long for any column.
 */
export function breakableMarkup(text: string, escape: (s: string) => string = escapeMarkup): string {
  return text
    .split(/(?<=[:/])/)
    .map((part) =>
      part
        .split(/(\S*-\S*)/)
        .map((piece, i) => (i % 2 === 1 && piece.length <= NOWRAP_WORD ? `<span class="nb">${escape(piece)}</span>` : escape(piece)))
        .join(''),
    )
    .join('<wbr>');
}

function rootPages(options: HandlebarsNamespace.HelperOptions): Record<string, number> | undefined {
  const data: unknown = options.data;
  if (typeof data !== 'object' || data === null || !('root' in data)) return undefined;
  const root: unknown = data.root;
  if (typeof root !== 'object' || root === null || !('pages' in root)) return undefined;
  const pages: unknown = root.pages;
  return typeof pages === 'object' && pages !== null ? (pages as Record<string, number>) : undefined;
}

export function registerHelpers(hb: Hbs, stylesheet: string): void {
  const safe = (html: string): HandlebarsNamespace.SafeString => new hb.SafeString(html);

  hb.registerHelper('day', (iso: unknown) => formatDay(str(iso)));
  hb.registerHelper('datetime', (iso: unknown) => formatDateTime(str(iso)));
  hb.registerHelper('number', (n: unknown) => formatNumber(num(n)));
  hb.registerHelper('humanize', (token: unknown) => humanize(String(token ?? '')));
  hb.registerHelper('plural', (...raw: unknown[]) => {
    const [count, singular, plural] = args(raw);
    return pluralize(num(count), String(singular ?? ''), str(plural));
  });
  hb.registerHelper('join', (list: unknown, sep: unknown) =>
    Array.isArray(list) ? list.map((x) => String(x)).join(typeof sep === 'string' ? sep : ', ') : '',
  );
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('startsWith', (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b));
  hb.registerHelper('subtract', (a: unknown, b: unknown) => num(a) - num(b));

  /** `{{badge severity}}` or `{{badge class "label override"}}`: a coloured chip from a closed set of tones. */
  hb.registerHelper('badge', (...raw: unknown[]) => {
    const [tone, label] = args(raw);
    const t = String(tone ?? '');
    const cls = BADGE_TONES.has(t) ? t : 'unknown';
    const text = typeof label === 'string' ? label : humanize(t);
    return safe(`<span class="badge badge-${cls}">${escapeMarkup(text)}</span>`);
  });

  /** `{{chart "severity"}}`: the SVG built (and escaped) by charts.ts, taken from the root view only. */
  hb.registerHelper('chart', (name: unknown, options: HandlebarsNamespace.HelperOptions) => {
    const charts = rootCharts(options);
    const key = String(name);
    if (charts === undefined || !isChartName(key)) return '';
    return safe(charts[key]);
  });

  /**
   * `{{breakable arn}}`: the text escaped, with a line-break opportunity (<wbr>, which adds no character)
   * after every ":" and "/", so an ARN wraps only there and text copied from the PDF is the ARN exactly.
   */
  hb.registerHelper('breakable', (text: unknown) => safe(breakableMarkup(String(text ?? ''), (s) => hb.Utils.escapeExpression(s))));
  hb.registerHelper('shortDigest', (digest: unknown) => String(digest ?? '').slice(0, 12));

  /** `{{pageRef "anchor"}}`: ", page 12" when the view knows where the anchor landed in the PDF, else nothing. */
  hb.registerHelper('pageRef', (anchor: unknown, options: HandlebarsNamespace.HelperOptions) => {
    const page = rootPages(options)?.[String(anchor)];
    return typeof page === 'number' ? `, page ${page}` : '';
  });

  // The stylesheet is our own file; a "</style" inside it would end the element early, so refuse it.
  const css = stylesheet.replace(/<\/style/gi, '<\\/style');
  hb.registerHelper('inlineStyles', () => safe(css));
}

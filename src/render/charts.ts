/**
 * Inline SVG charts for the executive summary. Pure string builders: no script, no external fonts or
 * images, so they print identically with JavaScript disabled and every request blocked. Every label is
 * escaped here because the strings leave Handlebars' escaping behind (the template inserts them whole).
 */
import { PRINCIPAL_CLASSES, SEVERITIES, type PrincipalClass, type Severity } from '../model/review.js';
import { escapeMarkup } from './escape.js';
import { formatNumber, humanize } from './format.js';
import { NEUTRAL, PRINCIPAL_CLASS_COLORS, SEVERITY_COLORS } from './palette.js';

export interface ChartDatum {
  label: string;
  value: number;
  color: string;
}

export interface BarChartOptions {
  /** Accessible name of the chart (the <title>), also used by screen readers and PDF tagging. */
  title: string;
  width?: number;
  labelWidth?: number;
  rowHeight?: number;
  /** Shown instead of bars when every value is zero. */
  emptyText?: string;
}

const FONT_SIZE = 11;
const MAX_LABEL_CHARS = 28;

function truncate(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

function safeValue(v: number): number {
  return Number.isFinite(v) && v > 0 ? v : 0;
}

function svgOpen(width: number, height: number, title: string, cls: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${cls}" role="img" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="${FONT_SIZE}">` +
    `<title>${escapeMarkup(title)}</title>`
  );
}

function emptyChart(width: number, title: string, text: string, cls: string): string {
  const height = 44;
  return (
    svgOpen(width, height, title, `${cls} chart-empty`) +
    `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" rx="4" fill="${NEUTRAL.track}" stroke="${NEUTRAL.rule}"/>` +
    `<text x="${width / 2}" y="${height / 2 + 4}" text-anchor="middle" fill="${NEUTRAL.muted}">${escapeMarkup(text)}</text>` +
    `</svg>`
  );
}

/** Horizontal bars, one row a datum, value printed after the bar; zero rows keep their label. */
export function horizontalBarChart(data: readonly ChartDatum[], options: BarChartOptions): string {
  const width = options.width ?? 320;
  const labelWidth = options.labelWidth ?? 120;
  const rowHeight = options.rowHeight ?? 20;
  const valueWidth = 44;
  const values = data.map((d) => safeValue(d.value));
  const max = Math.max(0, ...values);
  if (data.length === 0 || max === 0) {
    return emptyChart(width, options.title, options.emptyText ?? 'Nothing to show', 'bar-chart');
  }
  const barArea = width - labelWidth - valueWidth;
  const height = data.length * rowHeight + 4;
  const rows = data.map((d, i) => {
    const v = values[i] ?? 0;
    const y = i * rowHeight + 2;
    const barHeight = rowHeight - 8;
    const length = v === 0 ? 0 : Math.max(2, Math.round((v / max) * barArea));
    const label = escapeMarkup(truncate(d.label, MAX_LABEL_CHARS));
    const textY = y + barHeight / 2 + 4;
    return (
      `<g class="bar">` +
      `<title>${escapeMarkup(`${d.label}: ${formatNumber(v)}`)}</title>` +
      `<text x="${labelWidth - 8}" y="${textY}" text-anchor="end" fill="${NEUTRAL.text}">${label}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${barArea}" height="${barHeight}" rx="2" fill="${NEUTRAL.track}"/>` +
      (length > 0
        ? `<rect x="${labelWidth}" y="${y}" width="${length}" height="${barHeight}" rx="2" fill="${escapeMarkup(d.color)}"/>`
        : '') +
      `<text x="${labelWidth + barArea + 6}" y="${textY}" fill="${v === 0 ? NEUTRAL.muted : NEUTRAL.text}" font-weight="${v === 0 ? 'normal' : 'bold'}">${escapeMarkup(formatNumber(v))}</text>` +
      `</g>`
    );
  });
  return svgOpen(width, height, options.title, 'bar-chart') + rows.join('') + `</svg>`;
}

export interface DonutChartOptions {
  title: string;
  width?: number;
  /** Word under the total in the hole, e.g. "grants". */
  centerLabel?: string;
  emptyText?: string;
}

/**
 * A donut with its legend on the right. Segments are dashed circles rather than arc paths: no
 * trigonometry, and a segment of 100% still draws (an arc path from a point to itself does not).
 */
export function donutChart(data: readonly ChartDatum[], options: DonutChartOptions): string {
  const width = options.width ?? 320;
  const shown = data.filter((d) => safeValue(d.value) > 0);
  const total = shown.reduce((sum, d) => sum + safeValue(d.value), 0);
  if (total === 0) {
    return emptyChart(width, options.title, options.emptyText ?? 'Nothing to show', 'donut-chart');
  }
  const legendRow = 15;
  const size = 112;
  const height = Math.max(size, shown.length * legendRow + 8);
  const r = 40;
  const stroke = 16;
  const cx = size / 2;
  const cy = height / 2;
  const circumference = 2 * Math.PI * r;
  let offset = 0;
  const segments = shown.map((d) => {
    const v = safeValue(d.value);
    const len = (v / total) * circumference;
    const seg =
      `<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${escapeMarkup(d.color)}" stroke-width="${stroke}" ` +
      `stroke-dasharray="${len.toFixed(2)} ${(circumference - len).toFixed(2)}" stroke-dashoffset="${(-offset).toFixed(2)}" ` +
      `transform="rotate(-90 ${cx} ${cy})"><title>${escapeMarkup(`${d.label}: ${formatNumber(v)}`)}</title></circle>`;
    offset += len;
    return seg;
  });
  const center =
    `<text x="${cx}" y="${cy + 2}" text-anchor="middle" font-size="20" font-weight="bold" fill="${NEUTRAL.text}">${escapeMarkup(formatNumber(total))}</text>` +
    (options.centerLabel !== undefined
      ? `<text x="${cx}" y="${cy + 16}" text-anchor="middle" font-size="9" fill="${NEUTRAL.muted}">${escapeMarkup(options.centerLabel)}</text>`
      : '');
  const legendX = size + 14;
  const legendTop = cy - (shown.length * legendRow) / 2;
  const legend = shown.map((d, i) => {
    const y = legendTop + i * legendRow;
    const v = safeValue(d.value);
    const pct = Math.round((v / total) * 100);
    return (
      `<rect x="${legendX}" y="${y + 3}" width="10" height="10" rx="2" fill="${escapeMarkup(d.color)}"/>` +
      `<text x="${legendX + 16}" y="${y + 12}" fill="${NEUTRAL.text}">${escapeMarkup(truncate(d.label, MAX_LABEL_CHARS))}</text>` +
      `<text x="${width - 4}" y="${y + 12}" text-anchor="end" fill="${NEUTRAL.muted}">${escapeMarkup(`${formatNumber(v)} · ${pct}%`)}</text>`
    );
  });
  return (
    svgOpen(width, height, options.title, 'donut-chart') +
    `<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${NEUTRAL.track}" stroke-width="${stroke}"/>` +
    segments.join('') +
    center +
    legend.join('') +
    `</svg>`
  );
}

/** Open findings per severity, most severe first; every severity keeps its row so "0 critical" is visible. */
export function severityChart(counts: Partial<Record<Severity, number>>, title = 'Open findings by severity'): string {
  return horizontalBarChart(
    SEVERITIES.map((s) => ({ label: humanize(s), value: counts[s] ?? 0, color: SEVERITY_COLORS[s] })),
    { title, labelWidth: 78, emptyText: 'No open findings' },
  );
}

/** Trust grants per principal class, riskiest class first; classes with no grant are left out of the donut. */
export function principalClassChart(counts: Partial<Record<PrincipalClass, number>>, title = 'Trust grants by principal class'): string {
  return donutChart(
    PRINCIPAL_CLASSES.map((c) => ({ label: humanize(c), value: counts[c] ?? 0, color: PRINCIPAL_CLASS_COLORS[c] })),
    { title, centerLabel: 'grants', emptyText: 'No trust grants' },
  );
}

export interface RecencyBucket {
  label: string;
  value: number;
  /** Stale and never-used buckets are drawn in a warning tone. */
  stale: boolean;
  /** Use could not be judged (CloudTrail not read): drawn neutral, never counted as "never". */
  unknown?: boolean;
}

/** How recently cross-account grants were last used, with "never used in the window" as its own bar. */
export function usageRecencyChart(buckets: readonly RecencyBucket[], title = 'Cross-account grants by last use'): string {
  return horizontalBarChart(
    buckets.map((b) => ({ label: b.label, value: b.value, color: b.unknown ? '#9aa5b1' : b.stale ? '#b7791f' : '#2c7a7b' })),
    { title, labelWidth: 110, emptyText: 'No cross-account grants' },
  );
}

/** Open findings per account, for organizations: where the work is. */
export function accountFindingsChart(items: readonly { label: string; value: number }[], title = 'Open findings by account'): string {
  return horizontalBarChart(
    items.map((i) => ({ label: i.label, value: i.value, color: '#1f3a5f' })),
    { title, labelWidth: 130, emptyText: 'No open findings' },
  );
}

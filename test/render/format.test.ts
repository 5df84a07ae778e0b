import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { daysBetween, formatAgo, formatDateTime, formatDay, formatNumber, humanize, pluralize } from '../../src/render/format.js';
import { renderHtml } from '../../src/render/html.js';
import { fixtureReview } from './fixture-review.js';

describe('format', () => {
  it('formats dates in UTC whatever the machine time zone', () => {
    expect(formatDay('2026-11-25T23:30:00-05:00')).toBe('26 Nov 2026');
    expect(formatDateTime('2026-01-05T04:07:00Z')).toBe('5 Jan 2026, 04:07 UTC');
    expect(formatDay(undefined)).toBe('');
    expect(formatDay('not a date')).toBe('not a date');
  });

  it('counts calendar days and says how long ago relative to the review, not the clock', () => {
    expect(daysBetween('2026-10-01', '2026-11-25T06:00:00Z')).toBe(55);
    expect(daysBetween('2026-11-25T23:59:00Z', '2026-11-25T00:01:00Z')).toBe(0);
    expect(formatAgo('2026-11-25T08:00:00Z', '2026-11-25T06:00:00Z')).toBe('today');
    expect(formatAgo('2026-11-24T23:00:00Z', '2026-11-25T06:00:00Z')).toBe('yesterday');
    expect(formatAgo('2026-11-13T00:00:00Z', '2026-11-25T06:00:00Z')).toBe('12 days ago');
    expect(formatAgo('2026-05-25T00:00:00Z', '2026-11-25T06:00:00Z')).toBe('6 months ago');
    expect(formatAgo('2023-11-25T00:00:00Z', '2026-11-25T06:00:00Z')).toBe('3 years ago');
    expect(formatAgo(undefined, '2026-11-25T06:00:00Z')).toBe('');
  });

  it('formats numbers and plurals', () => {
    expect(formatNumber(22410)).toBe('22,410');
    expect(pluralize(1, 'role')).toBe('1 role');
    expect(pluralize(2000, 'grant')).toBe('2,000 grants');
    expect(pluralize(2, 'policy', 'policies')).toBe('2 policies');
  });

  it('names tokens for people', () => {
    expect(humanize('federated-oidc')).toBe('Federated (OIDC)');
    expect(humanize('suppression-expired')).toBe('Suppression expired');
    expect(humanize('access-analyzer')).toBe('Access Analyzer');
    expect(humanize('ok')).toBe('OK');
    expect(humanize('some_new-thing')).toBe('Some new thing');
  });
});

describe('Handlebars isolation', () => {
  it('registers nothing on the global Handlebars instance', async () => {
    await renderHtml(fixtureReview());
    const helpers = (Handlebars as unknown as { helpers: Record<string, unknown> }).helpers;
    for (const name of ['badge', 'chart', 'inlineStyles', 'plural', 'day']) expect(helpers[name]).toBeUndefined();
  });
});

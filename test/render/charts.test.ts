import { describe, expect, it } from 'vitest';
import {
  accountFindingsChart,
  donutChart,
  horizontalBarChart,
  principalClassChart,
  severityChart,
  usageRecencyChart,
} from '../../src/render/charts.js';

const HOSTILE = `<script>alert(1)</script>"&'`;

function assertInert(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.endsWith('</svg>')).toBe(true);
  expect(svg).not.toMatch(/<script|<foreignObject|<image|<use\b|\bon[a-z]+=|href=/i);
  // The namespace is the only URL a chart may carry.
  expect(svg.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/);
}

describe('horizontalBarChart', () => {
  it('draws one bar a datum, scaled to the largest value, with the value printed', () => {
    const svg = horizontalBarChart(
      [
        { label: 'A', value: 10, color: '#111111' },
        { label: 'B', value: 5, color: '#222222' },
        { label: 'C', value: 0, color: '#333333' },
      ],
      { title: 'Test', width: 300, labelWidth: 100 },
    );
    assertInert(svg);
    expect(svg).toContain('<title>Test</title>');
    // bar area = 300 - 100 - 44 = 156: A is full length, B half, C has no bar but keeps its row.
    expect(svg).toContain('width="156" height="12" rx="2" fill="#111111"');
    expect(svg).toContain('width="78" height="12" rx="2" fill="#222222"');
    expect(svg).not.toContain('fill="#333333"');
    expect(svg).toMatch(/>C<\/text>/);
    expect(svg).toMatch(/>10<\/text>/);
  });

  it('escapes labels, titles and colours', () => {
    const svg = horizontalBarChart([{ label: HOSTILE, value: 1, color: `red"/><script>` }], { title: HOSTILE });
    assertInert(svg);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;');
    expect(svg).toContain('fill="red&quot;/&gt;&lt;script&gt;"');
  });

  it('truncates long labels but keeps the whole label in the tooltip', () => {
    const long = 'a-very-long-account-name-that-goes-on-and-on';
    const svg = horizontalBarChart([{ label: long, value: 3, color: '#000' }], { title: 't' });
    expect(svg).toContain('a-very-long-account-name-th…');
    expect(svg).toContain(`<title>${long}: 3</title>`);
  });

  it('says so when there is nothing to draw, ignoring negative and NaN values', () => {
    const svg = horizontalBarChart(
      [
        { label: 'x', value: -4, color: '#000' },
        { label: 'y', value: Number.NaN, color: '#000' },
      ],
      { title: 't', emptyText: 'No open findings' },
    );
    assertInert(svg);
    expect(svg).toContain('chart-empty');
    expect(svg).toContain('>No open findings</text>');
  });
});

describe('donutChart', () => {
  it('splits the circumference by value and lists every non-zero datum in the legend', () => {
    const svg = donutChart(
      [
        { label: 'One', value: 1, color: '#aa0000' },
        { label: 'Three', value: 3, color: '#00aa00' },
        { label: 'None', value: 0, color: '#0000aa' },
      ],
      { title: 'Donut', centerLabel: 'grants' },
    );
    assertInert(svg);
    const c = 2 * Math.PI * 40;
    expect(svg).toContain(`stroke-dasharray="${(c / 4).toFixed(2)} ${((3 * c) / 4).toFixed(2)}"`);
    expect(svg).toContain(`stroke-dasharray="${((3 * c) / 4).toFixed(2)} ${(c / 4).toFixed(2)}"`);
    expect(svg).toContain('>1 · 25%</text>');
    expect(svg).toContain('>3 · 75%</text>');
    expect(svg).not.toContain('None');
    expect(svg).toMatch(/>4<\/text>/);
    expect(svg).toContain('>grants</text>');
  });

  it('draws a full ring for a single class', () => {
    const svg = donutChart([{ label: 'All', value: 7, color: '#123456' }], { title: 't' });
    const c = 2 * Math.PI * 40;
    expect(svg).toContain(`stroke-dasharray="${c.toFixed(2)} 0.00"`);
  });

  it('escapes legend labels', () => {
    const svg = donutChart([{ label: HOSTILE, value: 1, color: '#000' }], { title: 't', centerLabel: HOSTILE });
    assertInert(svg);
    expect(svg).not.toContain('<script>');
  });
});

describe('report charts', () => {
  it('severityChart keeps a row for every severity, most severe first', () => {
    const svg = severityChart({ high: 2, info: 1 });
    const labels = [...svg.matchAll(/text-anchor="end" fill="[^"]+">([A-Za-z]+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['Critical', 'High', 'Medium', 'Low', 'Info']);
    expect(severityChart({})).toContain('No open findings');
  });

  it('principalClassChart names classes for people', () => {
    const svg = principalClassChart({ 'federated-oidc': 2, public: 1 });
    expect(svg).toContain('Federated (OIDC)');
    expect(svg).toContain('Public');
    expect(principalClassChart({})).toContain('No trust grants');
  });

  it('usageRecencyChart and accountFindingsChart render their buckets', () => {
    const svg = usageRecencyChart([
      { label: 'Last 7 days', value: 3, stale: false },
      { label: 'Never in window', value: 2, stale: true },
    ]);
    expect(svg).toContain('Never in window');
    expect(svg).toContain('fill="#b7791f"');
    expect(accountFindingsChart([{ label: 'prod', value: 4 }])).toContain('>prod</text>');
  });
});

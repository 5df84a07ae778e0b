/**
 * The parts #17 added, rendered from a review the analysis made (not a hand-built fixture): the five
 * practices, the configuration appendix with what the review does not cover, unknown usage, role cards
 * whose header repeats on continuation pages, 1-based statements and statement JSON in the evidence.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { DEFAULT_CONFIG } from '../../src/config/config.js';
import { runConfiguration } from '../../src/config/digest.js';
import { EXTERNAL, allow, okCoverage, policy, role, runRoles } from '../analyze/builders.js';

const unbreak = (html: string): string => html.replace(/<wbr>/g, '').replace(/<span class="nb">([^<]*)<\/span>/g, '$1');
const text = (html: string): string => unbreak(html).replace(/<[^>]*>/g, ' ').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const section = (html: string, id: string): string => {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no ${id}`);
  return html.slice(start, html.indexOf('</section>', start));
};

describe('review parts in the report', () => {
  const configuration = runConfiguration(structuredClone(DEFAULT_CONFIG), 245);
  const noTrail = okCoverage().map((c) => (c.source === 'cloudtrail' ? { ...c, status: 'failed' as const, errorCode: 'AccessDenied', httpStatus: 400 } : c));
  const review = runRoles(
    [role('partner', policy(allow({ AWS: EXTERNAL }), allow({ AWS: `arn:aws:iam::${EXTERNAL}:role/sync` })), { lastUsed: undefined })],
    { coverage: noTrail },
    { configuration },
  );

  it('shows the five practices, each with figures and findings', async () => {
    const html = await renderHtml(review);
    const part = text(section(html, 'practices'));
    for (const title of ['Least privilege', 'Role-based trust', 'Logging and monitoring', 'Periodic access review', 'Multi-factor authentication']) {
      expect(part).toContain(title);
    }
    expect(part).toContain('CloudTrail read (account-regions) 0 of 1');
    expect(part).toContain('Cross-account grants whose use is unknown 2');
    expect(part).toContain('CloudTrail not read completely: 111111111111 us-east-1 (failed, AccessDenied).');
    expect(section(html, 'practice-role-based-trust')).toMatch(/<a href="#finding-[0-9a-f]+">/);
  });

  it('echoes the configuration with its digest and says what the review does not cover', async () => {
    const html = await renderHtml(review);
    const appendix = text(section(html, 'configuration'));
    expect(appendix).toContain(`sha256 ${configuration.sha256}`);
    expect(appendix).toContain('CloudTrail window 27 Aug 2026, 06:00 UTC to 25 Nov 2026, 06:00 UTC (configured: 90 days');
    expect(appendix).toContain('Regions (collected) us-east-1');
    expect(appendix).toContain('Vendor list 245 accounts');
    expect(appendix).toContain('Action catalogue test-catalog');
    expect(appendix).toContain('Service control policies (SCPs) and resource control policies (RCPs)');
    expect(appendix).toContain('IAM users');
    expect(appendix).toContain('only us-east-1 were read');
    expect(text(html.slice(0, html.indexOf('</header>')))).toContain(`sha256 ${configuration.sha256.slice(0, 12)}`);
  });

  it('says "Usage unknown" with the reason, never "not used", when CloudTrail was not read', async () => {
    const html = await renderHtml(review);
    const card = text(section(html, 'account-111111111111'));
    expect(card).toContain('Usage unknown CloudTrail could not be read in us-east-1 (AccessDenied, HTTP 400)');
    expect(card).not.toContain('Not used in the window');
    expect(card).not.toContain('No recorded use');
    expect(card).toContain('Use unknown');
    // The grant evidence in each finding says so too.
    expect(card).toContain('Use in window unknown: CloudTrail could not be read in us-east-1 (AccessDenied, HTTP 400)');
    expect(card).not.toMatch(/Use in window not used/);
  });

  it('says Access Analyzer is unknown, not absent, where it could not be read', async () => {
    const noAnalyzer = okCoverage().map((c) => (c.source === 'access-analyzer' ? { ...c, status: 'failed' as const, errorCode: 'AccessDeniedException' } : c));
    const blind = runRoles([role('partner', policy(allow({ AWS: EXTERNAL })))], {
      coverage: noAnalyzer,
      accessAnalyzer: { analyzers: [], findings: [] },
    });
    const card = text(section(await renderHtml(blind), 'account-111111111111'));
    expect(card).toContain('Unknown: Access Analyzer could not be read (us-east-1).');
    expect(card).not.toContain('No analyzer in any region');
  });

  it('numbers statements from 1 everywhere and quotes the statement as written', async () => {
    const html = await renderHtml(review);
    const card = text(section(html, 'account-111111111111'));
    expect(card).toContain('sts:AssumeRole · statement 1');
    expect(card).toContain('sts:AssumeRole · statement 2');
    expect(card).not.toContain('statement 0');
    expect(card).toContain('Statement 2 as written');
    expect(unbreak(html)).toContain(`&quot;AWS&quot;: &quot;arn:aws:iam::${EXTERNAL}:role/sync&quot;`);
  });

  it('puts the role name in a header group, which Chromium repeats on every page the card spans', async () => {
    const html = await renderHtml(review);
    expect(html).toMatch(/<table class="role-card role[^"]*" id="role-[^"]+">\s*<thead class="role-card-head"><tr><th>\s*<div class="role-name-line">\s*<h3 class="role-name wrap">partner<\/h3>/);
  });
});

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '../../src/model/review.js';
import { renderHtml } from '../../src/render/html.js';
import { defaultTemplatesDir } from '../../src/render/paths.js';
import { FORMULA_TAG_VALUE, HOSTILE_ROLE_NAME, HOSTILE_TAG_VALUE, fixtureReview } from './fixture-review.js';

/** Text content of the first element matching `open ... </tag>`, tags stripped, entities decoded. */
function textOf(html: string, pattern: RegExp): string {
  const m = pattern.exec(html);
  if (m === null) throw new Error(`no match for ${pattern}`);
  return decode(unbreak(m[1] ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim());
}

/** The text without the line-break markup of ARNs (<wbr>, and spans keeping hyphenated words whole). */
function unbreak(html: string): string {
  return html.replace(/<wbr>/g, '').replace(/<span class="nb">([^<]*)<\/span>/g, '$1');
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');
}

function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no section ${id}`);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end < 0 ? undefined : end);
}

describe('renderHtml on the fixture review', () => {
  let html: string;
  beforeAll(async () => {
    // <wbr> marks where an ARN may wrap and adds no character; the assertions below read the text.
    html = unbreak(await renderHtml(fixtureReview()));
  });

  it('is a self-contained document that forbids every fetch', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).toContain('@page');
  });

  it('escapes the hostile role name everywhere it appears', () => {
    expect(html).not.toContain(HOSTILE_ROLE_NAME);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The role heading, the index row and the top action all show the name as text.
    expect(textOf(html, /<h3 class="role-name wrap">([\s\S]*?)<\/h3>/)).toBe(HOSTILE_ROLE_NAME);
    const actions = textOf(html, /<ol class="actions">([\s\S]*?)<\/ol>/);
    expect(actions).toContain(`Remove public trust from ${HOSTILE_ROLE_NAME}`);
    expect(actions).toContain(`${HOSTILE_ROLE_NAME} (prod-payments)`);
  });

  it('escapes hostile tags, descriptions and evidence', () => {
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/\sonerror\s*=/i);
    expect(html).not.toContain('<b>public</b>');
    expect(html).toContain('&lt;b&gt;public&lt;/b&gt;');
    const tags = textOf(html, /<div class="tags">([\s\S]*?)<\/div>/);
    expect(tags).toContain(HOSTILE_TAG_VALUE);
    expect(tags).toContain(FORMULA_TAG_VALUE);
    expect(html).toContain('&quot;&amp;&#x27;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });

  it('escapes a closing style tag or template syntax smuggled into data', async () => {
    const review = fixtureReview();
    const role = review.accounts[0]?.roles[0];
    if (role === undefined) throw new Error('fixture has no role');
    role.description = '</style><style>body{display:none}</style>{{runId}}';
    const out = await renderHtml(review);
    expect(out).not.toContain('</style><style>body');
    expect(out).toContain('&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;{{runId}}');
    expect(out.match(/<style>/g)?.length).toBe(1);
  });

  it('puts the cover facts from the review on the first page', () => {
    const cover = html.slice(html.indexOf('<header class="cover"'), html.indexOf('</header>'));
    expect(cover).toContain('Organization o-a1b2c3d4e5 · 3 accounts');
    expect(cover).toContain('20261125T060000Z-7f3a9c');
    expect(cover).toContain('27 Aug 2026 – 25 Nov 2026');
    expect(cover).toContain('90 days');
    expect(cover).toContain('25 Nov 2026, 06:00 UTC');
    expect(cover).toContain('us-east-1, eu-west-1');
    expect(cover).toContain('Not reviewed: sandbox-legacy (777788889999)');
    expect(cover).toContain('Critical risk');
    expect(cover).toContain('1 critical, 3 high and 3 medium findings need action.');
    expect(cover).toContain('Risk score 87');
  });

  it('summarises for managers: tiles, charts, top actions, gaps, changes', () => {
    const cover = html.slice(html.indexOf('<header class="cover"'), html.indexOf('</header>'));
    const tiles = textOf(cover, /<div class="tiles">([\s\S]*?)<h2/);
    expect(tiles).toContain('2 of 3 Accounts reviewed');
    expect(tiles).toContain('14 Roles');
    expect(tiles).toContain('11 Open findings 1 critical · 3 high');
    expect(tiles).toContain('1 Accepted risks');
    expect(tiles).toContain('1 Paths to admin');
    expect(tiles).toContain('4 Coverage gaps');
    // Three actions, each with why, fix and a link to its evidence; the rest under "Further actions".
    expect(cover.match(/<li class="action">/g)?.length).toBe(3);
    expect(cover.match(/<div class="action-why">/g)?.length).toBe(3);
    expect(cover.match(/<a href="#finding-[^"]+">evidence<\/a>/g)?.length).toBe(3);
    expect(textOf(cover, /<div class="change-counts">([\s\S]*)/)).toContain('1 new grants');
    expect(cover).toContain('details under <a href="#changes">Changes since the previous review</a>');
    expect(section(html, 'further-actions')).toContain('<li class="action">');

    const summary = section(html, 'summary');
    expect(summary.match(/<svg /g)?.length).toBe(4);
    const gaps = textOf(summary, /<ul class="gap-list">([\s\S]*?)<\/ul>/);
    expect(gaps).toContain('sandbox-legacy (777788889999) — STS');
    expect(gaps).toContain('CloudTrail in eu-west-1');
    expect(gaps).toContain('AccessDeniedException');
    expect(gaps).toContain('Usage is understated');
    // The same skipped analyzer in two regions is one gap naming both.
    expect(gaps).toContain('Access Analyzer in us-east-1, eu-west-1');
    expect(summary).toContain('Changes since the previous review');
    expect(textOf(summary, /<div class="change-lists">([\s\S]*)/)).toContain('arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com → github-actions-shared (shared-services)');
    expect(summary).toContain('f-old-resolved-9');
  });

  it('shows per-role evidence: grants, guards, usage, permissions, findings', () => {
    const prod = section(html, 'account-111122223333');
    expect(prod).toContain('prod-payments');
    expect(prod).toContain('9 roles · 10 trust grants · 8 open findings');
    const ci = prod.slice(prod.indexOf('id="role-arn-aws-iam-111122223333-role-ci-ci-deploy"'));
    const ciText = textOf(ci, /([\s\S]*?)<\/article>/);
    expect(ciText).toContain('arn:aws:iam::111122223333:role/ci/ci-deploy');
    expect(ciText).toContain('OIDC provider token.actions.githubusercontent.com');
    expect(ciText).toContain('OIDC subject StringLike token.actions.githubusercontent.com:sub repo:acme-corp/*');
    expect(ciText).toContain('Used · 412 times');
    expect(ciText).toContain('repo:acme-corp/payments:ref:refs/heads/main');
    expect(ciText).toContain('Can escalate privileges');
    expect(ciText).toContain('PassRole to a new Lambda function');
    expect(ciText).toContain('permissions.privilege-escalation');
    expect(ciText).toContain('Scope iam:PassRole to the deployment roles');

    const legacy = textOf(prod.slice(prod.indexOf('id="role-arn-aws-iam-111122223333-role-legacy-partner-s3-sync"')), /([\s\S]*?)<\/article>/);
    expect(legacy).toContain('Not used in the window');
    expect(legacy).toContain('No recorded use');
    expect(legacy).toMatch(/Guards.*None/);

    const breakGlass = textOf(prod.slice(prod.indexOf('id="role-arn-aws-iam-111122223333-role-break-glass"')), /([\s\S]*?)<\/article>/);
    expect(breakGlass).toContain('MFA Bool aws:MultiFactorAuthPresent true');
    expect(breakGlass).toContain('Administrator-equivalent');

    const shared = section(html, 'account-444455556666');
    expect(shared).toContain('No analyzer in any region in scope');
    expect(textOf(shared, /Account-level findings([\s\S]*?)<\/table>/)).toContain('No IAM Access Analyzer in the account');
    expect(shared).toContain('Trust policy could not be read');
    expect(textOf(shared, /([\s\S]*)/)).toContain('Does not narrow access: a "*" subject admits every repository on GitHub');
  });

  it('says plainly when an account could not be reviewed', () => {
    const sandbox = textOf(section(html, 'account-777788889999'), /([\s\S]*)/);
    expect(sandbox).toContain('This account was not reviewed.');
    expect(sandbox).toContain('the role does not trust the review account. (AccessDenied)');
  });

  it('lists accepted risks, expired acceptances and unmatched suppressions', () => {
    const accepted = textOf(section(html, 'accepted-risks'), /([\s\S]*)/);
    expect(accepted).toContain('Suppressions that have expired');
    expect(accepted).toContain('External grant not used for over 90 days');
    expect(accepted).toContain('until 1 Oct 2026 · expired 55 days ago');
    expect(accepted).toContain('Vendor role reads every resource');
    expect(accepted).toContain('security-architecture@acme.example');
    expect(accepted).toContain('until 15 Dec 2026 · expires in 20 days');
    expect(accepted).toContain('Suppressions that matched nothing');
    expect(accepted).toContain('arn:aws:iam::111122223333:role/decommissioned-etl-role');
  });

  it('shows reach paths and the coverage appendix with every gap marked', () => {
    const reach = textOf(section(html, 'reach'), /([\s\S]*)/);
    expect(reach).toContain('github-actions-shared (shared-services)');
    expect(reach).toContain('OrganizationAccountAccessRole (prod-payments)');
    expect(reach).toContain('Administrator-equivalent');

    const coverage = section(html, 'coverage');
    expect(textOf(coverage, /([\s\S]*)/)).toContain('9 of 14 collection steps completed; 5 steps did not');
    expect(coverage.match(/class="gap-row"/g)?.length).toBe(5);
    expect(coverage).toContain('badge-failed');
    expect(coverage).toContain('cloudtrail:LookupEvents was denied by an SCP');
  });
});

describe('empty states', () => {
  function quietReview(): Review {
    const r = fixtureReview();
    r.findings = [];
    r.reach = [];
    r.unmatchedSuppressions = [];
    r.summary.topActions = [];
    delete r.changes;
    r.coverage = r.coverage.map((c) => ({ ...c, status: 'ok' as const }));
    for (const a of r.accounts) {
      a.coverage = [];
      for (const role of a.roles) role.findingIds = [];
    }
    r.accounts = r.accounts.filter((a) => a.roles.length > 0);
    return r;
  }

  it('reads well with no findings, gaps, paths or previous review', async () => {
    const html = await renderHtml(quietReview());
    const text = textOf(html, /<body>([\s\S]*)<\/body>/);
    expect(text).toContain('No open findings');
    expect(text).toContain('No action is needed: there are no open findings.');
    expect(text).toContain('Nothing is missing: every source was collected');
    expect(text).toContain('This is the first review of this scope');
    expect(text).toContain('No findings.');
    expect(text).toContain('No accepted risks: no finding is suppressed.');
    expect(text).toContain('Every suppression matched a finding.');
    expect(text).toContain('No reach paths');
    expect(text).not.toContain('Changes since the previous review');
  });

  it('renders a review with no accounts at all', async () => {
    const r = quietReview();
    r.accounts = [];
    r.coverage = [];
    for (const key of Object.keys(r.summary.grantsByClass) as (keyof typeof r.summary.grantsByClass)[]) {
      r.summary.grantsByClass[key] = 0;
    }
    const html = unbreak(await renderHtml(r));
    expect(html).toContain('No coverage record was produced');
    expect(html).toContain('No trust grants');
  });
});

describe('cover actions', () => {
  it('shows the three highest-ranked actions on the cover and the rest under Further actions', async () => {
    const r = fixtureReview();
    const first = r.summary.topActions[0];
    if (first === undefined) throw new Error('fixture has no action');
    r.summary.topActions.push({ ...first, title: 'Sixth action' }, { ...first, title: 'Seventh action' });
    const html = unbreak(await renderHtml(r));
    const cover = html.slice(html.indexOf('<header class="cover"'), html.indexOf('</header>'));
    expect(cover.match(/<li class="action">/g)?.length).toBe(3);
    expect(cover).not.toContain('Sixth action');
    expect(cover).toContain(`${r.summary.topActions.length - 3} further actions of lower priority`);
    expect(section(html, 'further-actions')).toContain('Sixth action');
  });
});

describe('escalation methods', () => {
  it('lists them for a role that can escalate, and only counts them for an admin-equivalent one', async () => {
    const html = unbreak(await renderHtml(fixtureReview()));
    const roleCard = (name: string): string => {
      const start = html.indexOf(`<h3 class="role-name wrap">${name}</h3>`);
      expect(start).toBeGreaterThan(-1);
      return html.slice(start, html.indexOf('<h4>Findings</h4>', start));
    };
    const admin = roleCard('OrganizationAccountAccessRole');
    expect(decode(admin.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' '))).toContain(
      'Moot: the role already holds every permission (3 known escalation methods open; each listed in review.json).',
    );
    expect(admin).not.toContain('iam:CreatePolicyVersion');
    expect(html).toContain('<strong>PassRole to a new Lambda function</strong> <span class="mono small">iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction</span>');
  });
});

describe('account scope', () => {
  it('names the single account and reads coverage from the account when the flat list is empty', async () => {
    const r = fixtureReview();
    r.scope.mode = 'account';
    delete r.organization;
    r.accounts = r.accounts.slice(0, 1);
    r.coverage = [];
    const html = unbreak(await renderHtml(r));
    expect(html).toContain('<p class="cover-scope">Account prod-payments</p>');
    const coverage = section(html, 'coverage');
    expect(coverage).toContain('prod-payments (111122223333)');
    expect(coverage.match(/class="gap-row"/g)?.length).toBe(1);
    expect(html).not.toContain('account-777788889999');
  });
});

describe('templates', () => {
  it('never use triple-stash: data is always escaped', async () => {
    const dir = defaultTemplatesDir();
    const files = ['report.hbs', ...(await readdir(join(dir, 'partials'))).map((f) => join('partials', f))];
    for (const file of files) {
      const src = await readFile(join(dir, file), 'utf8');
      expect(src, file).not.toContain('{{{');
      expect(src, file).not.toMatch(/\{\{&/);
    }
  });

  it('load from another folder when asked', async () => {
    await expect(renderHtml(fixtureReview(), { templatesDir: '/nonexistent/templates' })).rejects.toThrow(/cannot load the report templates from \/nonexistent\/templates/);
  });
});

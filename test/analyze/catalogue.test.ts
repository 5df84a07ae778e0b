import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES, parseVendorList, ruleCatalogue, rulesMarkdown } from '../../src/analyze/index.js';
import { SEVERITIES } from '../../src/model/review.js';

describe('rule catalogue', () => {
  it('lists every rule once, with complete metadata, most severe first', () => {
    const catalogue = ruleCatalogue();
    expect(catalogue.map((r) => r.id).sort()).toEqual(RULES.map((r) => r.meta.id).sort());
    expect(new Set(catalogue.map((r) => r.id)).size).toBe(catalogue.length);
    for (const rule of catalogue) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(SEVERITIES).toContain(rule.severity);
      for (const text of [rule.title, rule.rationale, rule.remediation, rule.action]) expect(text.length).toBeGreaterThan(10);
      expect(rule.bestPractice.length).toBeGreaterThan(0);
      for (const url of rule.references) expect(url).toMatch(/^https:\/\//);
    }
    const order = catalogue.map((r) => SEVERITIES.indexOf(r.severity));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('has the rules the issue asks for', () => {
    expect(ruleCatalogue().map((r) => [r.id, r.severity])).toEqual([
      ['external-trust-admin', 'critical'],
      ['trust-public', 'critical'],
      ['access-analyzer-external-access', 'high'],
      ['coverage-collection-gap', 'high'],
      ['external-trust-privilege-escalation', 'high'],
      ['reach-outside-to-admin', 'high'],
      ['trust-oidc-without-subject', 'high'],
      ['trust-unknown-external-account', 'high'],
      ['trust-vendor-without-external-id', 'high'],
      ['access-analyzer-not-enabled', 'medium'],
      ['coverage-cloudtrail-gap', 'medium'],
      ['external-trust-read-everything', 'medium'],
      ['least-privilege-low-use', 'medium'],
      ['least-privilege-unused-service', 'medium'],
      ['policy-unreadable', 'medium'],
      ['reach-role-to-admin', 'medium'],
      ['trust-cross-account-unused', 'medium'],
      ['trust-cross-account-without-mfa', 'medium'],
      ['trust-invalid-principal', 'medium'],
      ['trust-saml-without-audience', 'medium'],
      ['trust-service-without-source', 'medium'],
      ['trust-unexpected-caller', 'medium'],
      ['access-analyzer-unused-access', 'low'],
      ['role-unused', 'low'],
      ['trust-deleted-principal', 'low'],
      ['trust-ineffective-guard', 'low'],
      ['access-analyzer-unused-not-enabled', 'info'],
      ['policy-dead-grant', 'info'],
    ]);
  });

  it('returns copies, so callers cannot change the rules', () => {
    const [first] = ruleCatalogue();
    first?.references.push('https://example.com');
    expect(ruleCatalogue()[0]?.references).not.toContain('https://example.com');
  });

  it('renders the README table with one escaped row per rule', () => {
    const markdown = rulesMarkdown();
    const lines = markdown.trimEnd().split('\n');
    expect(lines[0]).toBe('| Rule | Severity | What it finds | Why it matters | Remediation | Best practice |');
    expect(lines).toHaveLength(RULES.length + 2);
    expect(lines[2]).toMatch(/^\| `external-trust-admin` \| critical \| Party outside the organization can assume an admin-equivalent role \| /);
    // Cells never break the table: every row has the same number of unescaped pipes.
    for (const line of lines.slice(2)) expect(line.split(/(?<!\\)\|/).length).toBe(8);
    expect(markdown).toContain('[ref 1](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html)');
  });
});

describe('shipped vendor list', () => {
  it('is valid, sourced, free of duplicates and of AWS-owned service accounts', () => {
    const parsed = parseVendorList(JSON.parse(readFileSync(new URL('../../data/vendors.json', import.meta.url), 'utf8')) as unknown);
    if (!parsed.ok) throw new Error(parsed.error);
    const ids = parsed.vendors.map((v) => v.accountId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(parsed.vendors.length).toBeGreaterThan(40);
    expect(parsed.vendors.find((v) => v.accountId === '464622532012')).toEqual({
      accountId: '464622532012',
      name: 'Datadog',
      source: 'https://docs.datadoghq.com/integrations/guide/aws-manual-setup/',
    });
    // ELB log delivery and CloudTrail's own accounts are AWS, not vendors.
    expect(ids).not.toContain('127311923021');
    expect(ids).not.toContain('086441151436');
  });
});

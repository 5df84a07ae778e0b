#!/usr/bin/env node
// Measures the render stage on a large synthetic review: HTML, PDF (cold: launch + print; warm: print with
// a running browser), CSV and JSON. Runs against the compiled code, so build first:
//   npm run build && node scripts/bench-render.mjs [grants=2000]
// Prints human-readable figures, then one JSON object as the last line (for CI to collect).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const { renderHtml, renderPdf, openPdfRenderer, renderFindingsCsv, renderGrantsCsv, renderReviewJson } = await import(
  '../dist/render/index.js'
);

const GRANTS = Number(process.argv[2] ?? 2000);
const NOW = '2026-11-25T06:00:00.000Z';
const CLASSES = ['same-account', 'org-account', 'known-vendor', 'external', 'service', 'federated-oidc', 'federated-saml', 'public', 'deleted', 'unknown'];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

// Deterministic pseudo-random numbers, so every run measures the same document.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (list) => list[Math.floor(rand() * list.length)];

function principal(cls, i) {
  const acct = String(100000000000 + ((i * 7919) % 899999999999)).padStart(12, '0');
  switch (cls) {
    case 'service': return { raw: 'lambda.amazonaws.com', type: 'Service', kind: 'service', class: cls, label: 'AWS service lambda.amazonaws.com' };
    case 'federated-oidc': return { raw: `arn:aws:iam::${acct}:oidc-provider/token.actions.githubusercontent.com`, type: 'Federated', kind: 'oidc-provider', class: cls, label: 'OIDC provider token.actions.githubusercontent.com' };
    case 'federated-saml': return { raw: `arn:aws:iam::${acct}:saml-provider/Okta`, type: 'Federated', kind: 'saml-provider', class: cls, label: 'SAML provider Okta' };
    case 'public': return { raw: '*', type: '*', kind: 'wildcard', class: cls, label: 'Anyone' };
    case 'known-vendor': return { raw: `arn:aws:iam::${acct}:root`, type: 'AWS', kind: 'account', class: cls, accountId: acct, vendor: { name: 'Vendor', source: 'https://example.com/vendor' }, label: `Vendor (account ${acct})` };
    default: return { raw: `arn:aws:iam::${acct}:role/service-role/automation-${i}`, type: 'AWS', kind: 'role', class: cls, accountId: acct, label: `Role automation-${i} in ${acct}` };
  }
}

function buildReview(totalGrants) {
  const accounts = [];
  const findings = [];
  const grantsByClass = Object.fromEntries(CLASSES.map((c) => [c, 0]));
  let made = 0;
  let roleNo = 0;
  for (let a = 0; made < totalGrants; a++) {
    const accountId = String(200000000000 + a);
    const roles = [];
    for (let r = 0; r < 60 && made < totalGrants; r++, roleNo++) {
      // Most roles trust a handful of principals; a few trust a long list of accounts.
      const n = Math.min(totalGrants - made, rand() < 0.05 ? 60 + Math.floor(rand() * 80) : 1 + Math.floor(rand() * 8));
      const arn = `arn:aws:iam::${accountId}:role/team-${roleNo % 17}/workload-role-${roleNo}`;
      const trustGrants = [];
      for (let g = 0; g < n; g++, made++) {
        const cls = pick(CLASSES);
        grantsByClass[cls] += 1;
        const p = principal(cls, made);
        const used = rand() < 0.6;
        trustGrants.push({
          id: `${arn}#${g}#${p.raw}`, roleArn: arn, accountId, statementIndex: g, actions: ['sts:AssumeRole'], principal: p,
          guards: rand() < 0.5 ? [{ kind: 'external-id', operator: 'StringEquals', key: 'sts:ExternalId', values: [`ext-${made}`], effective: true }] : [],
          conditions: {},
          usage: used
            ? { used, count: 1 + Math.floor(rand() * 500), firstSeen: '2026-09-01T00:00:00.000Z', lastSeen: `2026-11-${String(1 + Math.floor(rand() * 24)).padStart(2, '0')}T00:00:00.000Z`, callers: [`arn:aws:sts::${p.accountId ?? accountId}:assumed-role/caller/${made}`] }
            : { used, count: 0, callers: [] },
        });
      }
      const findingIds = [];
      const nf = Math.floor(rand() * 3);
      for (let f = 0; f < nf; f++) {
        const id = `f-${roleNo}-${f}`;
        findingIds.push(id);
        findings.push({
          id, ruleId: pick(['trust.external-without-external-id', 'usage.unused-cross-account-grant', 'trust.public-principal', 'permissions.privilege-escalation']),
          severity: pick(SEVERITIES), title: 'Synthetic finding for the benchmark', accountId, resource: arn,
          message: 'A grant that the synthetic generator flagged, with a message of realistic length for the table.',
          evidence: [{ label: 'Principal', value: trustGrants[0]?.principal.raw ?? '*' }, { label: 'Guards', value: 'none' }],
          remediation: 'Remove the grant or add an ExternalId condition agreed with the trusted party.', score: Math.floor(rand() * 100), status: 'open',
        });
      }
      roles.push({
        arn, name: `workload-role-${roleNo}`, accountId, path: `/team-${roleNo % 17}/`, createDate: '2024-01-01T00:00:00.000Z', tags: [{ key: 'team', value: `team-${roleNo % 17}` }],
        trustGrants,
        permissions: { adminEquivalent: rand() < 0.1, readEverything: rand() < 0.2, privilegeEscalation: [], allowedActionCount: Math.floor(rand() * 5000), highlights: ['s3:GetObject'], gaps: [], policies: [{ name: 'ReadOnlyAccess', kind: 'aws-managed' }] },
        usage: { assumeCount: trustGrants.reduce((s, g) => s + g.usage.count, 0), callers: [], lastUsed: '2026-11-20T00:00:00.000Z' },
        findingIds, riskScore: Math.floor(rand() * 100),
      });
    }
    accounts.push({ accountId, accountName: `account-${a}`, analyzers: [], coverage: [], roles });
  }
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]));
  const roleCount = accounts.reduce((s, a) => s + a.roles.length, 0);
  return {
    kind: 'access-review/review', schemaVersion: '1.0', runId: 'bench', generatedAt: NOW, snapshotCollectedAt: NOW,
    tool: { name: 'access-review', version: 'bench' },
    scope: { mode: 'organization', regions: ['us-east-1'], window: { start: '2026-08-27T06:00:00.000Z', end: NOW } },
    window: { start: '2026-08-27T06:00:00.000Z', end: NOW },
    summary: {
      accounts: accounts.length, roles: roleCount, trustGrants: made, grantsByClass, findingsBySeverity,
      openFindings: findings.length, suppressedFindings: 0, unusedRoles: 0, unusedCrossAccountGrants: 0, coverageGaps: 0, riskScore: 50,
      topActions: findings.slice(0, 5).map((f) => ({ title: f.title, severity: f.severity, findingIds: [f.id], score: f.score })),
    },
    accounts, findings, reach: [], unmatchedSuppressions: [],
    coverage: accounts.map((a) => ({ accountId: a.accountId, source: 'iam', status: 'ok', apiCalls: 3 })),
  };
}

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return [value, Math.round(performance.now() - t0)];
}

function pages(file, pdf) {
  try {
    return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  } catch {
    return Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
  }
}

const review = buildReview(GRANTS);
const [html, htmlMs] = await timed(() => renderHtml(review));
const [pdf, pdfColdMs] = await timed(() => renderPdf(html));
const renderer = await openPdfRenderer();
let pdfWarmMs;
try {
  [, pdfWarmMs] = await timed(() => renderer.render(html));
} finally {
  await renderer.close();
}
const [, csvMs] = await timed(() => renderFindingsCsv(review) + renderGrantsCsv(review));
const [, jsonMs] = await timed(() => renderReviewJson(review));

mkdirSync('out/bench-render', { recursive: true });
writeFileSync('out/bench-render/report.pdf', pdf);
writeFileSync('out/bench-render/report.html', html);
const pageCount = pages('out/bench-render/report.pdf', pdf);

const result = {
  grants: review.summary.trustGrants,
  roles: review.summary.roles,
  accounts: review.summary.accounts,
  findings: review.findings.length,
  htmlMs,
  htmlBytes: Buffer.byteLength(html),
  pdfColdMs,
  pdfWarmMs,
  pdfBytes: pdf.byteLength,
  pages: pageCount,
  csvMs,
  jsonMs,
};
console.log(`review: ${result.accounts} accounts, ${result.roles} roles, ${result.grants} grants, ${result.findings} findings`);
console.log(`html:   ${htmlMs} ms (${(result.htmlBytes / 1024).toFixed(0)} KiB)`);
console.log(`pdf:    ${pdfColdMs} ms cold (launch + print), ${pdfWarmMs} ms warm; ${pageCount} pages, ${(pdf.byteLength / 1024).toFixed(0)} KiB`);
console.log(`csv:    ${csvMs} ms; json: ${jsonMs} ms`);
console.log(JSON.stringify(result));

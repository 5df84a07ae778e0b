// One synthetic review for the render benchmarks (bench-render, bench-explorer, bench-scale's render part),
// so they measure the same kind of document. Deterministic: the same options give the same review.
//
// flaggedShare sets how many roles the abridged PDF keeps a card for (an open finding or a trust from
// outside the account, see src/render/view/abridge.ts). A real organization flags 5-15 % of its roles; the
// emulator's synthetic organization flags ~57 %, which is why the render is measured on this one instead.

const CLASSES_OUTSIDE = ['org-account', 'known-vendor', 'external', 'federated-oidc', 'federated-saml', 'public', 'deleted', 'unknown'];
const CLASSES_INSIDE = ['same-account', 'service'];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const RULES = ['trust.external-without-external-id', 'usage.unused-cross-account-grant', 'trust.public-principal', 'permissions.privilege-escalation', 'trust.cross-account-without-mfa'];
export const NOW = '2026-11-25T06:00:00.000Z';

function principal(cls, i, accountId) {
  const acct = String(100000000000 + ((i * 7919) % 899999999999)).padStart(12, '0');
  switch (cls) {
    case 'service': return { raw: 'lambda.amazonaws.com', type: 'Service', kind: 'service', class: cls, label: 'AWS service lambda.amazonaws.com' };
    case 'public': return { raw: '*', type: '*', kind: 'wildcard', class: cls, label: 'Anyone' };
    case 'same-account': return { raw: `arn:aws:iam::${accountId}:root`, type: 'AWS', kind: 'account', class: cls, accountId, label: `Account ${accountId} (any principal)` };
    case 'federated-oidc': return { raw: `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com`, type: 'Federated', kind: 'oidc-provider', class: cls, label: 'OIDC provider token.actions.githubusercontent.com' };
    case 'federated-saml': return { raw: `arn:aws:iam::${accountId}:saml-provider/Okta`, type: 'Federated', kind: 'saml-provider', class: cls, label: 'SAML provider Okta' };
    case 'known-vendor': return { raw: `arn:aws:iam::${acct}:root`, type: 'AWS', kind: 'account', class: cls, accountId: acct, vendor: { name: 'Vendor', source: 'https://example.com/vendor' }, label: `Vendor (account ${acct})` };
    default: return { raw: `arn:aws:iam::${acct}:role/automation-${i}`, type: 'AWS', kind: 'role', class: cls, accountId: acct, label: `Role automation-${i} in ${acct}` };
  }
}

/**
 * @param {{ roles: number, flaggedShare?: number, rolesPerAccount?: number, seed?: number }} options
 * flaggedShare in [0, 1] (default 0.1); rolesPerAccount default 100.
 */
export function buildSyntheticReview({ roles: roleTotal, flaggedShare = 0.1, rolesPerAccount = 100, seed: initialSeed = 42 }) {
  let seed = initialSeed;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const accounts = [];
  const findings = [];
  let grants = 0;
  for (let a = 0, roleNo = 0; roleNo < roleTotal; a++) {
    const accountId = String(200000000000 + a);
    const roles = [];
    for (let r = 0; r < rolesPerAccount && roleNo < roleTotal; r++, roleNo++) {
      const arn = `arn:aws:iam::${accountId}:role/team-${roleNo % 17}/workload-role-${roleNo}`;
      const flagged = rand() < flaggedShare;
      // Most roles trust a few principals; a few flagged ones trust a long list of accounts.
      const n = flagged && rand() < 0.05 ? 20 + Math.floor(rand() * 40) : 1 + Math.floor(rand() * 5);
      const trustGrants = [];
      for (let g = 0; g < n; g++, grants++) {
        // A flagged role has at least one grant from outside its account; an unflagged one none.
        const cls = flagged && (g === 0 || rand() < 0.5) ? pick(CLASSES_OUTSIDE) : pick(CLASSES_INSIDE);
        const p = principal(cls, grants, accountId);
        const used = rand() < 0.6;
        trustGrants.push({
          id: `${arn}#${g}#${p.raw}`, roleArn: arn, accountId, statementIndex: g, actions: ['sts:AssumeRole'], principal: p,
          guards: rand() < 0.5 ? [{ kind: 'external-id', operator: 'StringEquals', key: 'sts:ExternalId', values: [`ext-${grants}`], effective: true }] : [],
          conditions: {},
          usage: used
            ? { used, state: 'used', count: 1 + Math.floor(rand() * 500), firstSeen: '2026-09-01T00:00:00.000Z', lastSeen: `2026-11-${String(1 + Math.floor(rand() * 24)).padStart(2, '0')}T00:00:00.000Z`, callers: [`arn:aws:sts::${p.accountId ?? accountId}:assumed-role/caller/${grants}`] }
            : { used, state: rand() < 0.1 ? 'unknown' : 'unused', count: 0, callers: [] },
        });
      }
      const findingIds = [];
      for (let f = flagged ? 1 + Math.floor(rand() * 3) : 0; f > 0; f--) {
        const id = `f-${roleNo}-${f}`;
        const grant = pick(trustGrants);
        findingIds.push(id);
        findings.push({
          id, ruleId: pick(RULES), severity: pick(SEVERITIES), title: 'Synthetic finding for the benchmark', accountId, resource: arn, grantId: grant.id,
          message: 'A grant that the synthetic generator flagged, with a message of realistic length for the table.',
          evidence: [{ label: 'Principal', value: grant.principal.raw }, { label: 'Guards', value: 'none' }],
          remediation: 'Remove the grant or add an ExternalId condition agreed with the trusted party.', score: Math.floor(rand() * 100),
          status: rand() < 0.05 ? 'suppressed' : 'open',
        });
      }
      roles.push({
        arn, name: `workload-role-${roleNo}`, accountId, path: `/team-${roleNo % 17}/`, createDate: '2024-01-01T00:00:00.000Z',
        tags: rand() < 0.7 ? [{ key: 'owner', value: `team-${roleNo % 17}@example.com` }] : [],
        trustGrants,
        permissions: { adminEquivalent: rand() < 0.1, readEverything: rand() < 0.2, privilegeEscalation: [], allowedActionCount: Math.floor(rand() * 5000), highlights: ['s3:GetObject'], gaps: [], policies: [{ name: 'ReadOnlyAccess', kind: 'aws-managed' }] },
        usage: { assumeCount: trustGrants.reduce((s, g) => s + g.usage.count, 0), callers: [], lastUsed: '2026-11-20T00:00:00.000Z' },
        findingIds, riskScore: flagged ? Math.floor(rand() * 100) : Math.floor(rand() * 10),
      });
    }
    accounts.push({ accountId, accountName: `account-${a}`, analyzers: [], coverage: [], roles });
  }
  for (const f of findings) if (f.status === 'suppressed') f.suppression = { ruleId: f.ruleId, resource: f.resource, reason: 'accepted for the benchmark', owner: 'security@example.com', expires: '2027-06-30' };
  const open = findings.filter((f) => f.status !== 'suppressed');
  const findingsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, open.filter((f) => f.severity === s).length]));
  const allGrants = accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants));
  return {
    kind: 'access-review/review', schemaVersion: '1.0', runId: 'bench', generatedAt: NOW, snapshotCollectedAt: NOW,
    tool: { name: 'access-review', version: 'bench' },
    scope: { mode: 'organization', regions: ['us-east-1'], window: { start: '2026-08-27T06:00:00.000Z', end: NOW } },
    window: { start: '2026-08-27T06:00:00.000Z', end: NOW },
    summary: {
      accounts: accounts.length, roles: roleTotal, trustGrants: grants,
      grantsByClass: Object.fromEntries([...CLASSES_INSIDE, ...CLASSES_OUTSIDE].map((c) => [c, allGrants.filter((g) => g.principal.class === c).length])),
      findingsBySeverity, openFindings: open.length, suppressedFindings: findings.length - open.length,
      unusedRoles: 0, unusedCrossAccountGrants: 0, coverageGaps: 0, riskScore: 50,
      topActions: open.slice(0, 5).map((f) => ({ title: f.title, severity: f.severity, findingIds: [f.id], score: f.score })),
    },
    accounts, findings, reach: [], unmatchedSuppressions: [],
    coverage: accounts.map((a) => ({ accountId: a.accountId, source: 'iam', status: 'ok', apiCalls: 3 })),
  };
}

/** The share of roles the abridged PDF keeps a card for, counted the way src/render/view/abridge.ts does. */
export function flaggedShareOf(review) {
  const roles = review.accounts.flatMap((a) => a.roles);
  const open = new Set(review.findings.filter((f) => f.status !== 'suppressed').map((f) => f.id));
  const outside = (g) => g.principal.class !== 'same-account' && g.principal.class !== 'service' && !g.negatedBy;
  const flagged = roles.filter((r) => r.findingIds.some((id) => open.has(id)) || r.trustPolicyError !== undefined || r.trustGrants.some(outside)).length;
  return Math.round((flagged / Math.max(1, roles.length)) * 1000) / 1000;
}

/** The rule set, its catalogue, and the catalogue as the README's Markdown table. */
import { SEVERITIES } from '../../model/review.js';
import { accessAnalyzerExternalAccess } from './access-analyzer-external-access.js';
import { accessAnalyzerNotEnabled } from './access-analyzer-not-enabled.js';
import { accessAnalyzerUnusedAccess } from './access-analyzer-unused-access.js';
import { accessAnalyzerUnusedNotEnabled } from './access-analyzer-unused-not-enabled.js';
import { coverageCloudtrailGap } from './coverage-cloudtrail-gap.js';
import { coverageCollectionGap } from './coverage-collection-gap.js';
import { externalTrustAdmin } from './external-trust-admin.js';
import { externalTrustPrivilegeEscalation } from './external-trust-privilege-escalation.js';
import { externalTrustReadEverything } from './external-trust-read-everything.js';
import { leastPrivilegeLowUse } from './least-privilege-low-use.js';
import { leastPrivilegeUnusedService } from './least-privilege-unused-service.js';
import { policyDeadGrant } from './policy-dead-grant.js';
import { policyUnreadable } from './policy-unreadable.js';
import { reachOutsideToAdmin } from './reach-outside-to-admin.js';
import { reachRoleToAdmin } from './reach-role-to-admin.js';
import { roleUnused } from './role-unused.js';
import { BEST_PRACTICE_TITLES, type Rule, type RuleMeta } from './rule.js';
import { trustCrossAccountUnused } from './trust-cross-account-unused.js';
import { trustCrossAccountWithoutMfa } from './trust-cross-account-without-mfa.js';
import { trustDeletedPrincipal } from './trust-deleted-principal.js';
import { trustIneffectiveGuard } from './trust-ineffective-guard.js';
import { trustInvalidPrincipal } from './trust-invalid-principal.js';
import { trustOidcWithoutSubject } from './trust-oidc-without-subject.js';
import { trustPublic } from './trust-public.js';
import { trustSamlWithoutAudience } from './trust-saml-without-audience.js';
import { trustServiceWithoutSource } from './trust-service-without-source.js';
import { trustUnexpectedCaller } from './trust-unexpected-caller.js';
import { trustUnknownExternalAccount } from './trust-unknown-external-account.js';
import { trustVendorWithoutExternalId } from './trust-vendor-without-external-id.js';

export type { BestPractice, Rule, RuleHit, RuleMeta } from './rule.js';

export const RULES: readonly Rule[] = [
  trustPublic,
  trustUnknownExternalAccount,
  trustVendorWithoutExternalId,
  trustServiceWithoutSource,
  trustOidcWithoutSubject,
  trustSamlWithoutAudience,
  trustCrossAccountWithoutMfa,
  trustDeletedPrincipal,
  trustInvalidPrincipal,
  trustIneffectiveGuard,
  trustUnexpectedCaller,
  trustCrossAccountUnused,
  roleUnused,
  externalTrustAdmin,
  externalTrustPrivilegeEscalation,
  externalTrustReadEverything,
  leastPrivilegeUnusedService,
  leastPrivilegeLowUse,
  reachOutsideToAdmin,
  reachRoleToAdmin,
  policyUnreadable,
  policyDeadGrant,
  accessAnalyzerExternalAccess,
  accessAnalyzerUnusedAccess,
  accessAnalyzerNotEnabled,
  accessAnalyzerUnusedNotEnabled,
  coverageCloudtrailGap,
  coverageCollectionGap,
];

const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return RULES_BY_ID.get(id);
}

/** Rule metadata, most severe first, then by id. */
export function ruleCatalogue(): RuleMeta[] {
  return RULES.map((rule) => ({ ...rule.meta, bestPractice: [...rule.meta.bestPractice], references: [...rule.meta.references] })).sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The README's rule table, generated from the metadata so the two cannot drift. */
export function rulesMarkdown(): string {
  const header = [
    '| Rule | Severity | What it finds | Why it matters | Remediation | Best practice |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  const rows = ruleCatalogue().map((meta) =>
    [
      `\`${meta.id}\``,
      meta.severity,
      cell(meta.title),
      cell(meta.rationale),
      cell(meta.remediation),
      cell(meta.bestPractice.map((p) => BEST_PRACTICE_TITLES[p]).join(', ')) +
        (meta.references.length > 0 ? `<br>${meta.references.map((url, i) => `[ref ${i + 1}](${url})`).join(' ')}` : ''),
    ].join(' | '),
  );
  return [...header, ...rows.map((row) => `| ${row} |`)].join('\n') + '\n';
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

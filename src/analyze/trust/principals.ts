/**
 * Classifies a principal string from a trust policy, from the reviewed account's point of view. Exact
 * parsing, never substring matching: "arn:aws:iam::111122223333:root" names account 111122223333, while
 * a role ARN names one role, and a unique id (AROA..., AIDA...) is what IAM leaves when the principal is deleted.
 */
import type { ClassifiedPrincipal, PrincipalClass, PrincipalKind } from '../../model/review.js';
import type { PrincipalEntry } from '../policy/document.js';
import { isAccountId, parseArn } from '../policy/arn.js';
import type { VendorIndex } from '../vendors.js';
import { isNamedWebIdentityProvider, oidcIssuer } from './oidc-providers.js';

export interface ClassifyContext {
  /** The account that owns the role. */
  accountId: string;
  orgAccountIds: ReadonlySet<string>;
  vendors: VendorIndex;
}

/** IAM replaces a deleted role's or user's ARN in trust policies with its unique id. */
const DELETED_UNIQUE_ID = /^(AROA|AIDA)[A-Z0-9]{12,}$/;
const PARTITION = /^aws(-cn|-us-gov|-iso[a-z-]*)?$/;
/** Service principals are DNS names under AWS's domains: "ec2.amazonaws.com", "logs.us-east-1.amazonaws.com". */
const SERVICE_PRINCIPAL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.(amazonaws\.com(\.cn)?|amazon\.com|c2s\.ic\.gov|sc2s\.sgov\.gov)$/;

export function classifyPrincipal(entry: PrincipalEntry, context: ClassifyContext): ClassifiedPrincipal {
  const raw = entry.value;
  switch (entry.type) {
    case '*':
      return publicPrincipal(raw, '*');
    case 'AWS':
      return classifyAws(raw, context);
    case 'Service':
      return SERVICE_PRINCIPAL.test(raw)
        ? { raw, type: 'Service', kind: 'service', class: 'service', label: `AWS service ${raw}` }
        : invalid(raw, 'Service');
    case 'Federated':
      return classifyFederated(raw);
    case 'CanonicalUser':
      return {
        raw,
        type: 'CanonicalUser',
        kind: 'canonical-user',
        class: 'unknown',
        label: `S3 canonical user ${abbreviate(raw)} (account unknown)`,
      };
  }
}

function publicPrincipal(raw: string, type: 'AWS' | '*'): ClassifiedPrincipal {
  return { raw, type, kind: 'wildcard', class: 'public', label: 'Anyone (every AWS account, public)' };
}

function classifyAws(raw: string, context: ClassifyContext): ClassifiedPrincipal {
  if (raw === '*') return publicPrincipal(raw, 'AWS');
  if (isAccountId(raw)) return accountPrincipal(raw, raw, 'account', context, 'any principal');
  if (DELETED_UNIQUE_ID.test(raw)) {
    const what = raw.startsWith('AROA') ? 'role' : 'user';
    return {
      raw,
      type: 'AWS',
      kind: 'unique-id',
      class: 'deleted',
      label: `Deleted ${what} (unique id ${raw})`,
    };
  }
  const arn = parseArn(raw);
  // IAM accepts a wildcard only as the whole principal ("*"), never inside an ARN.
  if (!arn || !PARTITION.test(arn.partition) || !isAccountId(arn.account) || arn.region !== '' || /[*?]/.test(raw)) return invalid(raw, 'AWS');
  const [resourceType, ...rest] = arn.resource.split('/');
  const name = rest[rest.length - 1];
  if (arn.service === 'iam' && arn.resource === 'root') {
    return accountPrincipal(raw, arn.account, 'account', context, 'any principal');
  }
  if (arn.service === 'iam' && resourceType === 'role' && name) {
    return accountPrincipal(raw, arn.account, 'role', context, `role ${name}`);
  }
  if (arn.service === 'iam' && resourceType === 'user' && name) {
    return accountPrincipal(raw, arn.account, 'user', context, `user ${name}`);
  }
  if (arn.service === 'sts' && resourceType === 'assumed-role' && rest.length === 2) {
    return accountPrincipal(raw, arn.account, 'assumed-role', context, `session ${rest[1]} of role ${rest[0]}`);
  }
  if (arn.service === 'sts' && resourceType === 'federated-user' && name) {
    return accountPrincipal(raw, arn.account, 'federated-user', context, `federated user ${name}`);
  }
  return invalid(raw, 'AWS');
}

function accountPrincipal(
  raw: string,
  accountId: string,
  kind: PrincipalKind,
  context: ClassifyContext,
  what: string,
): ClassifiedPrincipal {
  const vendor = context.vendors.get(accountId);
  const principalClass: PrincipalClass =
    accountId === context.accountId
      ? 'same-account'
      : context.orgAccountIds.has(accountId)
        ? 'org-account'
        : vendor
          ? 'known-vendor'
          : 'external';
  const where =
    principalClass === 'same-account'
      ? `this account ${accountId}`
      : principalClass === 'org-account'
        ? `organization account ${accountId}`
        : principalClass === 'known-vendor' && vendor
          ? `${vendor.name}, account ${accountId}`
          : `external account ${accountId}`;
  const label = kind === 'account' ? `${capitalise(where)} (${what})` : `${capitalise(what)} in ${where}`;
  const principal: ClassifiedPrincipal = { raw, type: 'AWS', kind, class: principalClass, accountId, label };
  if (principalClass === 'known-vendor' && vendor) principal.vendor = { name: vendor.name, source: vendor.source };
  return principal;
}

function classifyFederated(raw: string): ClassifiedPrincipal {
  const arn = parseArn(raw);
  if (arn && arn.service === 'iam' && isAccountId(arn.account)) {
    if (arn.resource.startsWith('saml-provider/')) {
      const name = arn.resource.slice('saml-provider/'.length);
      return {
        raw,
        type: 'Federated',
        kind: 'saml-provider',
        class: 'federated-saml',
        accountId: arn.account,
        label: `SAML provider ${name} in account ${arn.account}`,
      };
    }
    if (arn.resource.startsWith('oidc-provider/')) {
      const host = arn.resource.slice('oidc-provider/'.length);
      return {
        raw,
        type: 'Federated',
        kind: 'oidc-provider',
        class: 'federated-oidc',
        accountId: arn.account,
        label: `${oidcIssuer(host).name} OIDC (${host})`,
      };
    }
  }
  if (isNamedWebIdentityProvider(raw)) {
    return { raw, type: 'Federated', kind: 'oidc-provider', class: 'federated-oidc', label: `${oidcIssuer(raw).name} web identity (${raw})` };
  }
  return invalid(raw, 'Federated');
}

function invalid(raw: string, type: 'AWS' | 'Federated' | 'Service'): ClassifiedPrincipal {
  return { raw, type, kind: 'invalid', class: 'unknown', label: `Unrecognised principal ${abbreviate(raw)}` };
}

/** The issuer host of an OIDC principal: the provider ARN's path, or the named provider itself. */
export function oidcHostOf(principal: ClassifiedPrincipal): string | undefined {
  if (principal.kind !== 'oidc-provider') return undefined;
  const arn = parseArn(principal.raw);
  return arn ? arn.resource.slice('oidc-provider/'.length) : principal.raw;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function abbreviate(text: string): string {
  return text.length > 24 ? `${text.slice(0, 20)}…` : text;
}

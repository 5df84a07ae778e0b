/**
 * Labels each principal of a generated trust policy with what it is (same account, org account, vendor,
 * public, ...) and which conditions guard it. The generator knows every account it made up, so these
 * labels are the answer key the product's own classification is tested against.
 */
import type { GuardKind, Json, TrustClass, TrustGrantTruth } from './org-types.js';
import { vendorByAccount } from './vendors.js';

export interface TrustWorld {
  self: string;
  orgAccounts: ReadonlySet<string>;
}

function asList(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function asObject(value: Json | undefined): Record<string, Json> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function guardsOf(condition: Json | undefined): { guards: GuardKind[]; wildcardSubject: boolean } {
  const guards = new Set<GuardKind>();
  let wildcardSubject = false;
  const ops = asObject(condition) ?? {};
  for (const block of Object.values(ops)) {
    for (const [rawKey, value] of Object.entries(asObject(block) ?? {})) {
      const key = rawKey.toLowerCase();
      if (key === 'sts:externalid') guards.add('external-id');
      else if (key === 'aws:multifactorauthpresent') guards.add('mfa');
      else if (key === 'aws:principalorgid') guards.add('principal-org-id');
      else if (key === 'aws:sourceaccount') guards.add('source-account');
      else if (key === 'aws:sourcearn') guards.add('source-arn');
      else if (key === 'saml:aud') guards.add('saml-aud');
      else if (key.endsWith(':aud')) guards.add('oidc-aud');
      else if (key.endsWith(':sub')) {
        guards.add('oidc-sub');
        if (asList(value).some((v) => v === '*')) wildcardSubject = true;
      }
    }
  }
  return { guards: [...guards], wildcardSubject };
}

function accountClass(accountId: string, world: TrustWorld): { class: TrustClass; vendor?: string } {
  if (accountId === world.self) return { class: 'same-account' };
  if (world.orgAccounts.has(accountId)) return { class: 'org-account' };
  const vendor = vendorByAccount(accountId);
  if (vendor) return { class: 'known-vendor', vendor: vendor.name };
  return { class: 'external' };
}

function awsPrincipal(value: string, world: TrustWorld): Pick<TrustGrantTruth, 'class' | 'accountId' | 'vendor'> {
  if (value === '*') return { class: 'public' };
  if (/^\d{12}$/.test(value)) return { ...accountClass(value, world), accountId: value };
  const arn = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(value);
  if (arn?.[1]) return { ...accountClass(arn[1], world), accountId: arn[1] };
  // A principal IAM could no longer resolve shows as its unique id (AROA..., AIDA...).
  return { class: 'deleted' };
}

export function trustGrants(document: Json, world: TrustWorld): TrustGrantTruth[] {
  const doc = asObject(document);
  const statements = asList(doc?.['Statement']);
  const grants: TrustGrantTruth[] = [];
  statements.forEach((raw, index) => {
    const s = asObject(raw);
    if (!s) return;
    const effect = s['Effect'] === 'Deny' ? 'Deny' : 'Allow';
    const actions = asList(s['Action']).filter((a): a is string => typeof a === 'string');
    const { guards, wildcardSubject } = guardsOf(s['Condition']);
    const base = { statement: index, effect, guards, actions } as const;
    const principal = s['Principal'];
    if (principal === '*') {
      grants.push({ ...base, principalType: '*', principal: '*', class: 'public' });
      return;
    }
    for (const [type, values] of Object.entries(asObject(principal) ?? {})) {
      for (const v of asList(values)) {
        if (typeof v !== 'string') continue;
        if (type === 'AWS') grants.push({ ...base, principalType: 'AWS', principal: v, ...awsPrincipal(v, world) });
        else if (type === 'Service') grants.push({ ...base, principalType: 'Service', principal: v, class: 'service' });
        else if (type === 'Federated') {
          const account = /^arn:aws:iam::(\d{12}):/.exec(v)?.[1];
          const saml = v.includes(':saml-provider/');
          grants.push({
            ...base,
            principalType: 'Federated',
            principal: v,
            class: saml ? 'federated-saml' : 'federated-oidc',
            ...(account ? { accountId: account } : {}),
            ...(!saml && wildcardSubject ? { wildcardSubject: true } : {}),
          });
        }
      }
    }
  });
  return grants;
}

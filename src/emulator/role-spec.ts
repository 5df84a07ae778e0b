/**
 * The intermediate description of a role: what the archetypes produce and the org builder turns into
 * IAM data, CloudTrail events and Access Analyzer findings. Callers say who really assumes the role, so
 * the event history stays consistent with the trust policy.
 */
import type { CustomerPolicyDef } from './customer-policies.js';
import type { Json, TagTruth, UsageProfile } from './org-types.js';
import type { JsonStyle } from './policy-text.js';
import type { Rng } from './prng.js';
import type { KnownVendor } from './vendors.js';

/** An IAM user or role that makes AssumeRole calls. */
export interface AwsIdentity {
  type: 'IAMUser' | 'AssumedRole';
  accountId: string;
  /** The user's or the role's ARN (not the session's). */
  arn: string;
  /** AIDA... for users, AROA... for roles. */
  uniqueId: string;
  /** User name or role name. */
  name: string;
  /** For roles: the session names its sessions use. */
  sessionNames: string[];
  userAgent: string;
  /** Source addresses the identity calls from. */
  sourceIps: string[];
}

export type CallerSpec =
  | {
      kind: 'aws';
      identity: AwsIdentity;
      weight: number;
      externalId?: string;
      mfa?: boolean;
      /** The caller is not what the trust means to admit, though the policy lets it in. */
      unexpected?: boolean;
      /** STS refuses these (e.g. MFA missing); the record carries errorCode AccessDenied. */
      denied?: boolean;
    }
  | { kind: 'service'; service: string; weight: number }
  | {
      kind: 'web-identity';
      providerArn: string;
      /** Issuer host and path, e.g. token.actions.githubusercontent.com. */
      issuer: string;
      subjects: string[];
      audience: string;
      weight: number;
      unexpected?: boolean;
      userAgent: string;
      sourceIps: string[];
    }
  | { kind: 'saml'; providerArn: string; issuer: string; users: string[]; weight: number };

export interface InlineSpec {
  name: string;
  document: Json;
  style: JsonStyle;
}

export interface RoleSpec {
  archetype: string;
  name: string;
  path: string;
  description?: string;
  trust: Json;
  trustStyle: JsonStyle;
  /** ARNs of attached policies, AWS managed or customer managed (the latter defined in `customerPolicies`). */
  attached: string[];
  customerPolicies: CustomerPolicyDef[];
  inline: InlineSpec[];
  boundary?: CustomerPolicyDef;
  tags: TagTruth[];
  usage: UsageProfile;
  serviceLinked: boolean;
  instanceProfile: boolean;
  maxSessionDuration: number;
  callers: CallerSpec[];
}

/** What an archetype may know about the account it builds a role for and about the rest of the org. */
export interface AccountContext {
  rng: Rng;
  seed: number;
  self: string;
  selfName: string;
  isManagement: boolean;
  mgmt: string;
  orgId: string;
  /** Other active accounts of the organization. */
  others: string[];
  region: string;
  company: string;
  githubOrg: string;
  ssoUsers: string[];
  ssoIssuer: string;
  /** Per-account IAM Identity Center ids: the SAML provider and permission-set suffixes. */
  ssoProviderArn: string;
  ssoSuffix: (permissionSet: string) => string;
  eksOidcIssuer: string;
  vendors: readonly KnownVendor[];
  externalAccounts: string[];
  /** An IAM user of any account in (or outside) the org. */
  user: (accountId: string, name: string) => AwsIdentity;
  /** An IAM role of any account in (or outside) the org, as a caller. */
  role: (accountId: string, name: string, sessionNames: string[]) => AwsIdentity;
  /** The role name of the IAM Identity Center admin permission set in an account. */
  ssoAdminRole: (accountId: string) => AwsIdentity;
  /** The ARN of a customer managed policy of this account. */
  policyArn: (def: CustomerPolicyDef) => string;
}

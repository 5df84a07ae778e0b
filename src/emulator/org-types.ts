/**
 * The ground truth of a synthetic AWS Organization. The emulator serves it over the AWS wire protocols;
 * tests (the emulator's and the product's end-to-end ones) assert against it. Everything is plain JSON so
 * "same seed => byte-identical org" can be checked with JSON.stringify.
 */

/** Any JSON value; policy documents are kept as parsed JSON plus the exact text IAM returns. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface PolicyDocumentTruth {
  /** The document as parsed JSON. */
  document: Json;
  /** The exact text IAM stores and (URL-encoded) returns: whitespace and key order as written. */
  text: string;
}

/** Who a trust statement lets in, from the owning account's point of view. */
export type TrustClass =
  | 'same-account'
  | 'org-account'
  | 'known-vendor'
  | 'external'
  | 'public'
  | 'service'
  | 'federated-oidc'
  | 'federated-saml'
  | 'deleted';

/** A condition in the statement that narrows who may use the grant. */
export type GuardKind =
  | 'external-id'
  | 'mfa'
  | 'principal-org-id'
  | 'source-account'
  | 'source-arn'
  | 'oidc-aud'
  | 'oidc-sub'
  | 'saml-aud';

/** One principal of one trust statement, classified by the generator that wrote it. */
export interface TrustGrantTruth {
  /** Index of the statement in the Statement list (0 when Statement is a single object). */
  statement: number;
  effect: 'Allow' | 'Deny';
  principalType: 'AWS' | 'Service' | 'Federated' | '*';
  /** The principal exactly as written, e.g. "464622532012" or "arn:aws:iam::111122223333:root". */
  principal: string;
  class: TrustClass;
  /** The account the principal belongs to, when it names one. */
  accountId?: string;
  /** Vendor name for known third parties. */
  vendor?: string;
  guards: GuardKind[];
  actions: string[];
  /** For OIDC grants whose subject condition admits any repository or workload ("*"). */
  wildcardSubject?: boolean;
}

export type UsageProfile = 'hot' | 'regular' | 'rare' | 'dormant' | 'never';

export interface InlinePolicyTruth extends PolicyDocumentTruth {
  name: string;
}

export interface InstanceProfileTruth {
  name: string;
  id: string;
  arn: string;
  path: string;
  createDate: string;
}

export interface TagTruth {
  Key: string;
  Value: string;
}

export interface SyntheticRole {
  accountId: string;
  name: string;
  path: string;
  arn: string;
  roleId: string;
  createDate: string;
  description?: string;
  maxSessionDuration: number;
  /** What the generator meant this role to be, e.g. "vendor-datadog" or "github-oidc-wildcard-sub". */
  archetype: string;
  trustPolicy: PolicyDocumentTruth;
  trustGrants: TrustGrantTruth[];
  inlinePolicies: InlinePolicyTruth[];
  attachedPolicyArns: string[];
  permissionsBoundaryArn?: string;
  tags: TagTruth[];
  /** IAM's RoleLastUsed; absent when the role was not used in the trailing 400 days. */
  lastUsed?: { date: string; region: string };
  instanceProfile?: InstanceProfileTruth;
  serviceLinked: boolean;
  usage: UsageProfile;
  /**
   * IAM's service last-accessed data (Access Advisor) for the role: every service its permission policies
   * allow, with the last authenticated use when there was one, and tracked actions for tracked services.
   */
  serviceAccess?: ServiceAccessTruth[];
}

/** One entry of ServicesLastAccessed as IAM reports it for a role. */
export interface ServiceAccessTruth {
  namespace: string;
  name: string;
  lastAuthenticated?: string;
  lastAuthenticatedRegion?: string;
  /** Present for services with action-level tracking: every tracked action the policies allow. */
  trackedActions?: { action: string; lastAccessed?: string; region?: string }[];
}

export interface PolicyVersionTruth extends PolicyDocumentTruth {
  versionId: string;
  isDefault: boolean;
  createDate: string;
}

export interface SyntheticManagedPolicy {
  arn: string;
  name: string;
  policyId: string;
  path: string;
  awsManaged: boolean;
  description?: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  versions: PolicyVersionTruth[];
}

export interface SyntheticUser {
  name: string;
  arn: string;
  userId: string;
  path: string;
  createDate: string;
  attachedPolicyArns: string[];
  tags: TagTruth[];
}

export type SyntheticAnalyzerType = 'ACCOUNT' | 'ACCOUNT_UNUSED_ACCESS';

export interface SyntheticAnalyzer {
  arn: string;
  name: string;
  type: SyntheticAnalyzerType;
  region: string;
  status: 'ACTIVE';
  createdAt: string;
  lastResourceAnalyzed?: string;
  lastResourceAnalyzedAt?: string;
  /** For unused-access analyzers: the age (days) after which access counts as unused. */
  unusedAccessAge?: number;
}

/** A finding detail exactly in the wire shape of Access Analyzer's FindingDetails union (timestamps ISO). */
export type FindingDetailWire =
  | {
      externalAccessDetails: {
        action: string[];
        condition: Record<string, string>;
        isPublic: boolean;
        principal: Record<string, string>;
      };
    }
  | { unusedIamRoleDetails: { lastAccessed?: string } }
  | {
      unusedPermissionDetails: {
        serviceNamespace: string;
        actions: { action: string; lastAccessed?: string }[];
        lastAccessed?: string;
      };
    };

export type SyntheticFindingType = 'ExternalAccess' | 'UnusedIAMRole' | 'UnusedPermission';

export interface SyntheticFinding {
  id: string;
  analyzerArn: string;
  region: string;
  findingType: SyntheticFindingType;
  resource: string;
  resourceType: 'AWS::IAM::Role';
  resourceOwnerAccount: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'RESOLVED';
  createdAt: string;
  updatedAt: string;
  analyzedAt: string;
  details: FindingDetailWire[];
}

export type CallerType = 'IAMUser' | 'AssumedRole' | 'AWSAccount' | 'AWSService' | 'SAMLUser' | 'WebIdentityUser';

/** What the generator knows about an event beyond the record itself. */
export interface EventTruth {
  /** The role the event is about (AssumeRole* events). */
  roleArn?: string;
  callerAccountId?: string;
  /** The caller's ARN (a user, role or provider), known even when the record only shows the account. */
  callerArn?: string;
  callerType: CallerType;
  mfa: boolean;
  externalId?: string;
  /** False for calls STS refused (the record carries errorCode AccessDenied). */
  success: boolean;
  /**
   * "owner": the role owner's copy of a cross-account call; "caller": the calling account's copy;
   * "single": a call within one account, or from outside the organization (only the owner's copy exists).
   */
  copy: 'owner' | 'caller' | 'single';
  /** True when the caller is not one the trust policy expects (e.g. a wildcard OIDC subject from another repo). */
  unexpectedCaller?: boolean;
}

/** One CloudTrail event-history entry, in the shape LookupEvents returns (EventTime as ISO text). */
export interface SyntheticEvent {
  eventId: string;
  eventName: string;
  eventTime: string;
  eventSource: string;
  region: string;
  readOnly: 'true' | 'false';
  username?: string;
  accessKeyId?: string;
  resources: { ResourceType: string; ResourceName: string }[];
  /** The full record as CloudTrail stores it, a JSON string. */
  cloudTrailEvent: string;
  truth: EventTruth;
}

export interface SyntheticAccount {
  id: string;
  name: string;
  email: string;
  status: 'ACTIVE' | 'SUSPENDED';
  joinedMethod: 'CREATED' | 'INVITED';
  joinedTimestamp: string;
  isManagement: boolean;
  alias?: string;
  users: SyntheticUser[];
  roles: SyntheticRole[];
  /** Customer managed policies of the account plus the AWS managed ones attached in it. */
  managedPolicies: SyntheticManagedPolicy[];
  analyzers: SyntheticAnalyzer[];
  findings: SyntheticFinding[];
  /** Event history, newest first, all regions. */
  events: SyntheticEvent[];
  oidcProviders: string[];
  samlProviders: string[];
  /** The root or OU the account sits in directly. */
  parentId: string;
  /** The account's tags in AWS Organizations (ListTagsForResource). */
  tags: TagTruth[];
}

/** An organizational unit: its parent is the root or another OU. */
export interface SyntheticOrgUnit {
  id: string;
  arn: string;
  name: string;
  parentId: string;
}

export interface SyntheticOrganization {
  id: string;
  arn: string;
  featureSet: 'ALL';
  managementAccountId: string;
  managementAccountArn: string;
  managementAccountEmail: string;
  /** The one root of the organization tree. */
  root: { id: string; arn: string; name: string };
  organizationalUnits: SyntheticOrgUnit[];
}

export interface SyntheticOrg {
  seed: number;
  /** The instant the org was generated for; events fall in the `windowDays` before it. */
  now: string;
  windowDays: number;
  regions: string[];
  organization: SyntheticOrganization;
  /** Management account first, then members (ACTIVE), then any SUSPENDED ones. */
  accounts: SyntheticAccount[];
  /** The read-only audit role present in every active account, trusted by the management account. */
  readOnlyRoleName: string;
  /** The S3 bucket that exists in the management account from the start. */
  archiveBucket: string;
  /** The IAM user in the management account that the default credentials belong to. */
  caller: { userName: string; arn: string; userId: string };
  /** Vendors trusted somewhere in the org, with their public sources. */
  vendors: { name: string; accountId: string; source: string }[];
  /** Account ids outside the org and not known vendors that some trust policy names. */
  unknownExternalAccounts: string[];
}

export interface GenerateOrgOptions {
  seed: number;
  memberAccounts: number;
  rolesPerAccount: number;
  /** Accounts listed by Organizations as SUSPENDED (no IAM data; AssumeRole into them fails). */
  suspendedAccounts: number;
  now: Date;
  days: number;
  /** Target number of owner-side AssumeRole* events per active account (caller-side copies come on top). */
  eventsPerAccount: number;
  /** Regions with event history and analyzers; the first is the primary one. */
  regions: string[];
}

/**
 * The deterministic synthetic AWS Organization: accounts, users, roles with a realistic mix of trust and
 * permission policies, Access Analyzer analyzers and findings, and 90 days of STS event history. The same
 * options (seed and `now`) always give byte-identical output, so tests can assert against it.
 */
import { analyzerPlan, buildAnalyzers, buildFindings } from './analyzer-findings.js';
import { awsManagedArn, awsManagedPolicies, isAwsManagedArn } from './aws-managed-policies.js';
import { isoSeconds } from './cloudtrail-records.js';
import { coreRoles, READ_ONLY_ROLE_NAME, RUNNER_USER_NAME } from './core-roles.js';
import type { CustomerPolicyDef } from './customer-policies.js';
import { fillerRole } from './filler-roles.js';
import { serviceAccess } from './last-accessed.js';
import type {
  GenerateOrgOptions,
  SyntheticAccount,
  SyntheticManagedPolicy,
  SyntheticOrg,
  SyntheticRole,
  SyntheticUser,
} from './org-types.js';
import { policyText, policyTruth, type JsonStyle } from './policy-text.js';
import { accountId as randomAccountId, hash32, Rng, stableIamId } from './prng.js';
import { IPS, UA } from './role-helpers.js';
import type { AccountContext, AwsIdentity, RoleSpec } from './role-spec.js';
import { SPECIAL_ARCHETYPES } from './special-roles.js';
import { generateTrail, type TrailRole } from './trail.js';
import { trustGrants } from './trust-truth.js';
import { KNOWN_VENDORS, vendorByAccount } from './vendors.js';
import { orgStructure } from './org-structure.js';

export type * from './org-types.js';
export { READ_ONLY_ROLE_NAME, RUNNER_USER_NAME } from './core-roles.js';
export { KNOWN_VENDORS, type KnownVendor } from './vendors.js';

export const ARCHIVE_BUCKET = 'access-review-archive';
export const DEFAULT_REGIONS = ['us-east-1', 'eu-west-1'];

export const DEFAULT_ORG_OPTIONS: Omit<GenerateOrgOptions, 'now'> = {
  seed: 42,
  memberAccounts: 4,
  rolesPerAccount: 25,
  suspendedAccounts: 1,
  days: 90,
  eventsPerAccount: 1500,
  regions: DEFAULT_REGIONS,
};

const DAY = 86_400_000;
const COMPANY = 'acme';
const GITHUB_ORG = 'acme-corp';
const MEMBER_NAMES = ['shared-services', 'prod-payments', 'prod-web', 'data-platform', 'staging', 'security-tooling', 'log-archive', 'sandbox-dev', 'ml-research', 'networking'];
const SSO_USERS = ['alice.nguyen@acme.example', 'bob.martin@acme.example', 'carol.smith@acme.example', 'dave.okafor@acme.example', 'erin.kowalski@acme.example'];

interface AccountSeed {
  id: string;
  name: string;
  isManagement: boolean;
  status: 'ACTIVE' | 'SUSPENDED';
  joined: Date;
  joinedMethod: 'CREATED' | 'INVITED';
}

function memberName(i: number): string {
  const base = MEMBER_NAMES[i % MEMBER_NAMES.length] ?? 'member';
  return i < MEMBER_NAMES.length ? base : `${base}-${Math.floor(i / MEMBER_NAMES.length) + 1}`;
}

function managedPolicyFromDef(rng: Rng, seed: number, accountId: string, def: CustomerPolicyDef, now: Date): SyntheticManagedPolicy {
  const style = rng.pick<JsonStyle>(['spaces4', 'compact', 'spaces2']);
  let t = now.getTime() - rng.int(200, 900) * DAY;
  const versions = def.versions.map((doc, i) => {
    if (i > 0) t = Math.min(t + rng.int(5, 60) * DAY, now.getTime() - DAY);
    return { versionId: `v${i + 1}`, isDefault: i === def.defaultIndex, createDate: isoSeconds(new Date(t)), document: doc, text: policyText(doc, style) };
  });
  const first = versions[0];
  const last = versions[versions.length - 1];
  return {
    arn: `arn:aws:iam::${accountId}:policy${def.path}${def.name}`,
    name: def.name,
    policyId: stableIamId(seed, 'ANPA', `${accountId}:${def.name}`),
    path: def.path,
    awsManaged: false,
    ...(def.description ? { description: def.description } : {}),
    createDate: first?.createDate ?? isoSeconds(now),
    updateDate: last?.createDate ?? isoSeconds(now),
    defaultVersionId: `v${def.defaultIndex + 1}`,
    versions,
  };
}

export function generateOrg(options: Partial<GenerateOrgOptions> = {}): SyntheticOrg {
  const o: GenerateOrgOptions = { ...DEFAULT_ORG_OPTIONS, now: new Date(), ...options };
  const now = new Date(Math.floor(o.now.getTime() / 1000) * 1000);
  const seed = o.seed;
  const rng = new Rng(seed);
  const primaryRegion = o.regions[0] ?? 'us-east-1';

  // Accounts: ids never collide with each other or with a vendor's.
  const idRng = rng.fork('accounts');
  const taken = new Set(KNOWN_VENDORS.map((v) => v.accountId));
  const newAccountId = (): string => {
    let id = randomAccountId(idRng);
    while (taken.has(id)) id = randomAccountId(idRng);
    taken.add(id);
    return id;
  };
  const seeds: AccountSeed[] = [
    { id: newAccountId(), name: `${COMPANY}-management`, isManagement: true, status: 'ACTIVE', joined: new Date(now.getTime() - idRng.int(1500, 2500) * DAY), joinedMethod: 'INVITED' },
  ];
  for (let i = 0; i < o.memberAccounts; i++) {
    seeds.push({ id: newAccountId(), name: memberName(i), isManagement: false, status: 'ACTIVE', joined: new Date(now.getTime() - idRng.int(200, 1400) * DAY), joinedMethod: i === 2 ? 'INVITED' : 'CREATED' });
  }
  for (let i = 0; i < o.suspendedAccounts; i++) {
    seeds.push({ id: newAccountId(), name: i === 0 ? 'closed-legacy-app' : `closed-legacy-app-${i + 1}`, isManagement: false, status: 'SUSPENDED', joined: new Date(now.getTime() - idRng.int(1000, 1400) * DAY), joinedMethod: 'CREATED' });
  }
  const externalAccounts = [newAccountId(), newAccountId(), newAccountId()];
  const orgId = `o-${idRng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 10)}`;
  const mgmt = seeds[0];
  if (!mgmt) throw new Error('unreachable: no management account');
  const active = seeds.filter((s) => s.status === 'ACTIVE');
  const activeIds = new Set(active.map((s) => s.id));

  // Identities any account can name: ids depend only on (seed, account, name).
  const userIdentity = (acct: string, name: string): AwsIdentity => ({
    type: 'IAMUser',
    accountId: acct,
    arn: `arn:aws:iam::${acct}:user/${name}`,
    uniqueId: stableIamId(seed, 'AIDA', `${acct}:${name}`),
    name,
    sessionNames: [],
    userAgent: name === RUNNER_USER_NAME ? UA.sdkJs : name === 'ops-bot' ? UA.boto3 : UA.cliMac,
    sourceIps: activeIds.has(acct) ? [...IPS.corporate] : [...IPS.unknown],
  });
  const roleIdentity = (acct: string, name: string, sessionNames: string[], path = '/'): AwsIdentity => ({
    type: 'AssumedRole',
    accountId: acct,
    arn: `arn:aws:iam::${acct}:role${path}${name}`,
    uniqueId: stableIamId(seed, 'AROA', `${acct}:${name}`),
    name,
    sessionNames,
    userAgent: name === 'ci-deployer' ? UA.terraform : UA.cli,
    sourceIps: name === 'ci-deployer' ? [...IPS.ciRunners] : [...IPS.corporate],
  });
  const ssoSuffix = (acct: string, permissionSet: string): string =>
    new Rng(hash32(`${seed}:sso:${acct}:${permissionSet}`)).hex(16);
  const ssoAdmin = (acct: string): AwsIdentity =>
    roleIdentity(acct, `AWSReservedSSO_AdministratorAccess_${ssoSuffix(acct, 'AdministratorAccess')}`, SSO_USERS.slice(0, 2), '/aws-reserved/sso.amazonaws.com/');
  const ssoInstance = new Rng(hash32(`${seed}:sso-instance`)).chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 32);
  const ssoIssuer = `https://portal.sso.${primaryRegion}.amazonaws.com/saml/assertion/${ssoInstance}`;

  // Each trust shape goes to one member account, round robin, so every org shows all of them.
  const members = active.filter((s) => !s.isManagement);
  const hosts = members.length > 0 ? members : [mgmt];
  const specialsFor = new Map<string, typeof SPECIAL_ARCHETYPES[number][]>();
  const usable = SPECIAL_ARCHETYPES.filter((a) => !a.needsOthers || active.length > 1);
  usable.forEach((a, i) => {
    const host = hosts[i % hosts.length];
    if (!host) return;
    specialsFor.set(host.id, [...(specialsFor.get(host.id) ?? []), a]);
  });

  interface Draft {
    seed: AccountSeed;
    index: number;
    specs: RoleSpec[];
    roles: SyntheticRole[];
    users: SyntheticUser[];
    policies: Map<string, SyntheticManagedPolicy>;
    slots: ReturnType<typeof analyzerPlan>;
    rng: Rng;
  }
  const drafts: Draft[] = [];

  active.forEach((acct, index) => {
    const arng = rng.fork(`account:${acct.id}`);
    const self = acct.id;
    const policyArn = (def: CustomerPolicyDef): string => `arn:aws:iam::${self}:policy${def.path}${def.name}`;
    const ctx: AccountContext = {
      rng: arng,
      seed,
      self,
      selfName: acct.name,
      isManagement: acct.isManagement,
      mgmt: mgmt.id,
      orgId,
      others: active.filter((a) => a.id !== self).map((a) => a.id),
      region: primaryRegion,
      company: COMPANY,
      githubOrg: GITHUB_ORG,
      ssoUsers: SSO_USERS,
      ssoIssuer,
      ssoProviderArn: `arn:aws:iam::${self}:saml-provider/AWSSSO_${ssoSuffix(self, 'provider')}_DO_NOT_DELETE`,
      ssoSuffix: (ps) => ssoSuffix(self, ps),
      eksOidcIssuer: `oidc.eks.${primaryRegion}.amazonaws.com/id/${new Rng(hash32(`${seed}:eks:${self}`)).chars('0123456789ABCDEF', 32)}`,
      vendors: KNOWN_VENDORS,
      externalAccounts,
      user: userIdentity,
      role: (a, name, sessions) => roleIdentity(a, name, sessions),
      ssoAdminRole: ssoAdmin,
      policyArn,
    };
    const slots = analyzerPlan(index, arng, o.regions);
    const specs = [...coreRoles(ctx, { hasAnalyzer: slots.length > 0 }), ...(specialsFor.get(self) ?? []).map((a) => a.build(ctx))];
    const names = new Set(specs.map((s) => s.name));
    while (specs.length < o.rolesPerAccount) {
      const s = fillerRole(ctx, names);
      names.add(s.name);
      specs.push(s);
    }

    const users: SyntheticUser[] = [];
    const userDefs: [string, string, string[]][] = acct.isManagement
      ? [
          [RUNNER_USER_NAME, '/', [awsManagedArn('SecurityAudit')]],
          ['alice', '/', [awsManagedArn('AdministratorAccess')]],
          ['bob', '/', [awsManagedArn('ReadOnlyAccess')]],
          ['ops-bot', '/', [awsManagedArn('PowerUserAccess')]],
        ]
      : [
          ['alice', '/', [awsManagedArn('AdministratorAccess')]],
          ['ops-bot', '/', [awsManagedArn('PowerUserAccess')]],
        ];
    for (const [name, path, attached] of userDefs) {
      users.push({
        name,
        arn: `arn:aws:iam::${self}:user${path}${name}`,
        userId: stableIamId(seed, 'AIDA', `${self}:${name}`),
        path,
        createDate: isoSeconds(new Date(acct.joined.getTime() + arng.int(1, 60) * DAY)),
        attachedPolicyArns: attached,
        tags: name === RUNNER_USER_NAME ? [{ Key: 'purpose', Value: 'access-review' }] : [],
      });
    }

    const policies = new Map<string, SyntheticManagedPolicy>();
    const catalogue = awsManagedPolicies();
    const addArn = (arn: string): void => {
      if (policies.has(arn) || !isAwsManagedArn(arn)) return;
      const p = catalogue.get(arn);
      if (p) policies.set(arn, p);
    };
    const addDef = (def: CustomerPolicyDef): void => {
      const arn = policyArn(def);
      if (!policies.has(arn)) policies.set(arn, managedPolicyFromDef(arng, seed, self, def, now));
    };
    for (const s of specs) {
      s.customerPolicies.forEach(addDef);
      if (s.boundary) addDef(s.boundary);
      s.attached.forEach(addArn);
    }
    users.forEach((u) => u.attachedPolicyArns.forEach(addArn));

    const world = { self, orgAccounts: activeIds };
    const roles: SyntheticRole[] = specs.map((s) => {
      const arn = `arn:aws:iam::${self}:role${s.path}${s.name}`;
      const created = new Date(now.getTime() - arng.int(120, 1500) * DAY);
      const trust = policyTruth(s.trust, s.trustStyle);
      const role: SyntheticRole = {
        accountId: self,
        name: s.name,
        path: s.path,
        arn,
        roleId: stableIamId(seed, 'AROA', `${self}:${s.name}`),
        createDate: isoSeconds(created),
        maxSessionDuration: s.maxSessionDuration,
        archetype: s.archetype,
        trustPolicy: trust,
        trustGrants: trustGrants(s.trust, world),
        inlinePolicies: s.inline.map((p) => ({ name: p.name, ...policyTruth(p.document, p.style) })),
        attachedPolicyArns: s.attached,
        tags: s.tags,
        serviceLinked: s.serviceLinked,
        usage: s.usage,
      };
      if (s.description) role.description = s.description;
      if (s.boundary) role.permissionsBoundaryArn = policyArn(s.boundary);
      if (s.instanceProfile) {
        role.instanceProfile = {
          name: s.name,
          id: stableIamId(seed, 'AIPA', `${self}:${s.name}`),
          arn: `arn:aws:iam::${self}:instance-profile/${s.name}`,
          path: '/',
          createDate: role.createDate,
        };
      }
      return role;
    });
    drafts.push({ seed: acct, index, specs, roles, users, policies, slots, rng: arng });
  });

  // Event history across all accounts at once: cross-account calls land in two accounts.
  const trailRoles: TrailRole[] = drafts.flatMap((d) =>
    d.roles.map((r, i) => {
      const spec = d.specs[i];
      if (!spec) throw new Error('unreachable: role without spec');
      return { ref: { accountId: r.accountId, arn: r.arn, name: r.name, roleId: r.roleId }, spec };
    }),
  );
  const trail = generateTrail({
    rng: rng.fork('trail'),
    now,
    days: o.days,
    regions: o.regions,
    orgAccounts: activeIds,
    accounts: active.map((a) => a.id),
    roles: trailRoles,
    eventsPerAccount: o.eventsPerAccount,
    noiseIdentity: (acct) => userIdentity(acct, 'alice'),
  });

  // Each role's successful assumptions as its owner's account recorded them: Access Advisor's uses fall on them.
  const assumptions = new Map<string, { time: string; region: string }[]>();
  for (const events of trail.events.values()) {
    for (const e of events) {
      if (!e.truth.roleArn || !e.truth.success || e.truth.copy === 'caller') continue;
      const list = assumptions.get(e.truth.roleArn);
      const at = { time: e.eventTime, region: e.region };
      if (list) list.push(at);
      else assumptions.set(e.truth.roleArn, [at]);
    }
  }

  const structure = orgStructure(orgId, mgmt.id);
  const accounts: SyntheticAccount[] = [];
  for (const d of drafts) {
    const self = d.seed.id;
    for (const role of d.roles) {
      const used = trail.lastUsed.get(role.arn);
      if (used) role.lastUsed = used;
      else if (role.usage === 'dormant') {
        // Used once, long ago: outside the event window but inside IAM's 400-day RoleLastUsed horizon.
        const created = Date.parse(role.createDate);
        const latest = now.getTime() - 95 * DAY;
        const earliest = Math.max(created + DAY, now.getTime() - 380 * DAY);
        if (earliest < latest) role.lastUsed = { date: isoSeconds(new Date(earliest + d.rng.next() * (latest - earliest))), region: primaryRegion };
      }
      role.serviceAccess = serviceAccess({ role, managed: d.policies, assumptions: assumptions.get(role.arn) ?? [], seed });
    }
    const analyzers = buildAnalyzers(d.rng, self, d.slots, now, !d.seed.isManagement);
    const findings = buildFindings(d.rng, analyzers, d.roles, now, {
      roleArn: `arn:aws:iam::${self}:role/old-contractor-access`,
      principalAccount: externalAccounts[2] ?? externalAccounts[0] ?? '',
    });
    const federated = new Set(d.roles.flatMap((r) => r.trustGrants.filter((g) => g.principalType === 'Federated').map((g) => g.principal)));
    accounts.push({
      id: self,
      name: d.seed.name,
      email: `aws+${d.seed.name}@${COMPANY}.example`,
      status: 'ACTIVE',
      joinedMethod: d.seed.joinedMethod,
      joinedTimestamp: isoSeconds(d.seed.joined),
      isManagement: d.seed.isManagement,
      alias: `${COMPANY}-${d.seed.name.replace(/^acme-/, '')}`,
      users: d.users,
      roles: d.roles,
      managedPolicies: [...d.policies.values()].sort((a, b) => a.arn.localeCompare(b.arn)),
      analyzers,
      findings,
      events: trail.events.get(self) ?? [],
      oidcProviders: [...federated].filter((p) => p.includes(':oidc-provider/')).sort(),
      samlProviders: [...federated].filter((p) => p.includes(':saml-provider/')).sort(),
      parentId: structure.parentOf(d.seed.name, d.seed.isManagement),
      tags: structure.tagsOf(d.seed.name),
    });
  }
  for (const s of seeds.filter((x) => x.status === 'SUSPENDED')) {
    accounts.push({
      id: s.id,
      name: s.name,
      email: `aws+${s.name}@${COMPANY}.example`,
      status: 'SUSPENDED',
      joinedMethod: s.joinedMethod,
      joinedTimestamp: isoSeconds(s.joined),
      isManagement: false,
      users: [],
      roles: [],
      managedPolicies: [],
      analyzers: [],
      findings: [],
      events: [],
      oidcProviders: [],
      samlProviders: [],
      parentId: structure.parentOf(s.name, false),
      tags: structure.tagsOf(s.name),
    });
  }

  const trustedVendors = new Map<string, { name: string; accountId: string; source: string }>();
  const unknown = new Set<string>();
  for (const a of accounts) {
    for (const r of a.roles) {
      for (const g of r.trustGrants) {
        if (g.class === 'known-vendor' && g.accountId) {
          const v = vendorByAccount(g.accountId);
          if (v) trustedVendors.set(v.accountId, { name: v.name, accountId: v.accountId, source: v.source });
        }
        if (g.class === 'external' && g.accountId) unknown.add(g.accountId);
      }
    }
  }

  const runner = userIdentity(mgmt.id, RUNNER_USER_NAME);
  return {
    seed,
    now: isoSeconds(now),
    windowDays: o.days,
    regions: [...o.regions],
    organization: {
      id: orgId,
      arn: `arn:aws:organizations::${mgmt.id}:organization/${orgId}`,
      featureSet: 'ALL',
      managementAccountId: mgmt.id,
      managementAccountArn: `arn:aws:organizations::${mgmt.id}:account/${orgId}/${mgmt.id}`,
      managementAccountEmail: `aws+${mgmt.name}@${COMPANY}.example`,
      root: structure.root,
      organizationalUnits: structure.organizationalUnits,
    },
    accounts,
    readOnlyRoleName: READ_ONLY_ROLE_NAME,
    archiveBucket: ARCHIVE_BUCKET,
    caller: { userName: RUNNER_USER_NAME, arn: runner.arn, userId: runner.uniqueId },
    vendors: [...trustedVendors.values()].sort((a, b) => a.name.localeCompare(b.name)),
    unknownExternalAccounts: [...unknown].sort(),
  };
}

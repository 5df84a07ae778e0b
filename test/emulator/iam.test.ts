import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetAccountAuthorizationDetailsCommand,
  ListAccountAliasesCommand,
  paginateGetAccountAuthorizationDetails,
  type GetAccountAuthorizationDetailsCommandOutput,
  type ManagedPolicyDetail,
  type RoleDetail,
} from '@aws-sdk/client-iam';
import { startEmulator, type RunningEmulator, type SyntheticAccount } from '../../src/emulator/index.js';
import { assumeInto, clients, decodePolicy, FIXED_NOW, rejection } from './helpers.js';

let emu: RunningEmulator;
let member: SyntheticAccount;
let memberCreds: Awaited<ReturnType<typeof assumeInto>>;

beforeAll(async () => {
  emu = await startEmulator({ seed: 42, now: FIXED_NOW });
  const m = emu.org.accounts.find((a) => a.name === 'shared-services');
  if (!m) throw new Error('no shared-services account');
  member = m;
  memberCreds = await assumeInto(emu, member.id);
});
afterAll(async () => {
  await emu.close();
});

async function allPages(maxItems: number, filter?: string[]): Promise<GetAccountAuthorizationDetailsCommandOutput[]> {
  const iam = clients.iam(emu, { credentials: memberCreds });
  const pages: GetAccountAuthorizationDetailsCommandOutput[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: maxItems, ...(filter ? { Filter: filter as never } : {}), ...(marker ? { Marker: marker } : {}) }));
    pages.push(page);
    marker = page.IsTruncated ? page.Marker : undefined;
    if (page.IsTruncated) expect(page.Marker).toBeTruthy();
  } while (marker);
  return pages;
}

describe('IAM GetAccountAuthorizationDetails', () => {
  it('pages with MaxItems/Marker/IsTruncated and returns every role exactly once', async () => {
    const pages = await allPages(7, ['Role', 'LocalManagedPolicy', 'AWSManagedPolicy']);
    expect(pages.length).toBeGreaterThan(3);
    for (const p of pages) {
      const n = (p.RoleDetailList?.length ?? 0) + (p.Policies?.length ?? 0) + (p.UserDetailList?.length ?? 0);
      expect(n).toBeLessThanOrEqual(7);
    }
    expect(pages.at(-1)?.IsTruncated).toBe(false);
    const names = pages.flatMap((p) => p.RoleDetailList ?? []).map((r) => r.RoleName);
    expect(names).toEqual(member.roles.map((r) => r.name));
    expect(pages.flatMap((p) => p.UserDetailList ?? [])).toEqual([]);
  });

  it('returns decodable, URL-encoded trust and inline documents equal to the ground truth', async () => {
    const details = (await allPages(100)).flatMap((p) => p.RoleDetailList ?? []);
    const byName = new Map(details.map((d) => [d.RoleName, d]));
    for (const truth of member.roles) {
      const d = byName.get(truth.name) as RoleDetail;
      expect(d.Arn).toBe(truth.arn);
      expect(d.RoleId).toBe(truth.roleId);
      expect(d.Path).toBe(truth.path);
      expect(d.CreateDate).toEqual(new Date(truth.createDate));
      expect(d.AssumeRolePolicyDocument).not.toMatch(/[{}"*\s]/);
      expect(decodeURIComponent(d.AssumeRolePolicyDocument ?? '')).toBe(truth.trustPolicy.text);
      expect(decodePolicy(d.AssumeRolePolicyDocument)).toEqual(truth.trustPolicy.document);
      expect((d.RolePolicyList ?? []).map((p) => [p.PolicyName, decodePolicy(p.PolicyDocument)])).toEqual(truth.inlinePolicies.map((p) => [p.name, p.document]));
      expect((d.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn)).toEqual(truth.attachedPolicyArns);
      expect(d.Tags ?? []).toEqual(truth.tags);
      if (truth.lastUsed) expect(d.RoleLastUsed).toEqual({ LastUsedDate: new Date(truth.lastUsed.date), Region: truth.lastUsed.region });
      else expect(d.RoleLastUsed).toEqual({});
      if (truth.permissionsBoundaryArn) expect(d.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: truth.permissionsBoundaryArn });
      if (truth.instanceProfile) {
        expect(d.InstanceProfileList?.[0]?.InstanceProfileName).toBe(truth.instanceProfile.name);
        expect(d.InstanceProfileList?.[0]?.Roles?.[0]?.RoleName).toBe(truth.name);
      } else expect(d.InstanceProfileList).toEqual([]);
    }
  });

  it('escapes markup in tag values on the wire and the SDK gets them back intact', async () => {
    const other = emu.org.accounts.find((a) => a.roles.some((r) => r.name === 'reporting-export'));
    if (!other) throw new Error('no reporting-export role');
    const creds = await assumeInto(emu, other.id);
    const out = await clients.iam(emu, { credentials: creds }).send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: 1000 }));
    const r = out.RoleDetailList?.find((x) => x.RoleName === 'reporting-export');
    expect(r?.Path).toBe('/reports/');
    expect(r?.Tags).toContainEqual({ Key: 'Description', Value: '<script>alert(1)</script>' });
    expect(r?.Tags).toContainEqual({ Key: 'Notes', Value: `"quoted" & 'apostrophe' <b>bold</b> </td></tr>` });
  });

  it('lists managed policies with all versions, AWS managed ones only when attached', async () => {
    const policies = (await allPages(50, ['LocalManagedPolicy', 'AWSManagedPolicy'])).flatMap((p) => p.Policies ?? []);
    const truth = member.managedPolicies;
    const attached = new Set(member.roles.flatMap((r) => [...r.attachedPolicyArns, ...(r.permissionsBoundaryArn ? [r.permissionsBoundaryArn] : [])]));
    for (const u of member.users) u.attachedPolicyArns.forEach((a) => attached.add(a));
    const expected = truth.filter((p) => !p.awsManaged || attached.has(p.arn)).map((p) => p.arn);
    expect(policies.map((p) => p.Arn)).toEqual(expected);
    const byArn = new Map(policies.map((p) => [p.Arn, p]));
    for (const t of truth.filter((p) => expected.includes(p.arn))) {
      const p = byArn.get(t.arn) as ManagedPolicyDetail;
      expect(p.DefaultVersionId).toBe(t.defaultVersionId);
      expect(p.PolicyVersionList?.map((v) => [v.VersionId, v.IsDefaultVersion, decodePolicy(v.Document)])).toEqual(t.versions.map((v) => [v.versionId, v.isDefault, v.document]));
    }
    const admin = byArn.get('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(admin?.AttachmentCount).toBe(member.roles.filter((r) => r.attachedPolicyArns.includes('arn:aws:iam::aws:policy/AdministratorAccess')).length + 1);
    expect(decodePolicy(admin?.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const legacy = policies.find((p) => p.PolicyName === 'legacy-ec2-admin');
    if (legacy) expect(legacy.AttachmentCount).toBe(0);
  });

  it('works through the SDK paginator and lists users when asked', async () => {
    const iam = clients.iam(emu, { credentials: memberCreds });
    const roles: string[] = [];
    const users: string[] = [];
    for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 10 }, {})) {
      roles.push(...(page.RoleDetailList ?? []).map((r) => r.RoleName ?? ''));
      users.push(...(page.UserDetailList ?? []).map((u) => u.UserName ?? ''));
    }
    expect(roles).toHaveLength(member.roles.length);
    expect(users).toEqual(member.users.map((u) => u.name));
  });

  it('answers in the management account with the default credentials', async () => {
    const out = await clients.iam(emu).send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: 1000 }));
    const mgmt = emu.org.accounts[0];
    expect(out.RoleDetailList?.map((r) => r.Arn)).toEqual(mgmt?.roles.map((r) => r.arn));
    expect(out.RoleDetailList?.some((r) => r.RoleName === 'AWSServiceRoleForOrganizations')).toBe(true);
  });

  it('rejects a bad MaxItems and a forged Marker with ValidationError', async () => {
    const iam = clients.iam(emu);
    const e1 = await rejection(iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 5000 })));
    expect(e1.name).toBe('ValidationError');
    expect(e1.$metadata?.httpStatusCode).toBe(400);
    const e2 = await rejection(iam.send(new GetAccountAuthorizationDetailsCommand({ Marker: 'not-a-marker' })));
    expect(e2.name).toBe('ValidationError');
  });
});

describe('IAM ListAccountAliases', () => {
  it('returns the account alias', async () => {
    const out = await clients.iam(emu, { credentials: memberCreds }).send(new ListAccountAliasesCommand({}));
    expect(out.AccountAliases).toEqual([member.alias]);
    expect(out.IsTruncated).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, ListAccountsCommand, paginateListAccounts } from '@aws-sdk/client-organizations';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { assumeInto, clients, FIXED_NOW, rejection } from './helpers.js';

let emu: RunningEmulator;
const members = () => emu.org.accounts.filter((a) => a.status === 'ACTIVE' && !a.isManagement);

beforeAll(async () => {
  emu = await startEmulator({ seed: 42, now: FIXED_NOW });
});
afterAll(async () => {
  await emu.close();
});

describe('STS', () => {
  it('GetCallerIdentity with the default credentials is the management account runner user', async () => {
    const id = await clients.sts(emu).send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: '502865639452', Arn: 'arn:aws:iam::502865639452:user/access-review', UserId: emu.org.caller.userId });
  });

  it('AssumeRole into each member lands later calls in that account', async () => {
    for (const m of members()) {
      const out = await clients.sts(emu).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${m.id}:role/AccessReviewReadOnly`, RoleSessionName: 'access-review' }));
      expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${m.id}:assumed-role/AccessReviewReadOnly/access-review`);
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
      expect(out.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 3500_000);
      const creds = { accessKeyId: out.Credentials?.AccessKeyId ?? '', secretAccessKey: out.Credentials?.SecretAccessKey ?? '', sessionToken: out.Credentials?.SessionToken ?? '' };
      const id = await clients.sts(emu, { credentials: creds }).send(new GetCallerIdentityCommand({}));
      expect(id.Account).toBe(m.id);
      expect(id.UserId).toBe(`${m.roles.find((r) => r.name === 'AccessReviewReadOnly')?.roleId}:access-review`);
      const iam = await clients.iam(emu, { credentials: creds }).send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: 1000 }));
      expect(iam.RoleDetailList?.map((r) => r.Arn)).toEqual(m.roles.map((r) => r.arn));
    }
  });

  it('refuses accounts configured to deny with an AccessDenied SDK error, and recovers when cleared', async () => {
    const target = members()[1];
    if (!target) throw new Error('need members');
    emu.setFaults({ denyAccounts: [target.id] });
    const err = await rejection(assumeInto(emu, target.id));
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toBe(`User: ${emu.org.caller.arn} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${target.id}:role/AccessReviewReadOnly`);
    emu.setFaults({});
    expect((await assumeInto(emu, target.id)).accessKeyId).toMatch(/^ASIA/);
  });

  it('refuses roles that do not exist, suspended accounts and trust that does not admit the caller', async () => {
    const m = members()[0];
    const suspended = emu.org.accounts.find((a) => a.status === 'SUSPENDED');
    if (!m || !suspended) throw new Error('fixture');
    expect((await rejection(assumeInto(emu, m.id, 'no-such-role'))).name).toBe('AccessDenied');
    expect((await rejection(assumeInto(emu, suspended.id))).name).toBe('AccessDenied');
    const vendorHost = emu.org.accounts.find((a) => a.roles.some((r) => r.name === 'DatadogIntegrationRole'));
    expect((await rejection(assumeInto(emu, vendorHost?.id ?? '', 'DatadogIntegrationRole'))).name).toBe('AccessDenied');
  });

  it('checks sts:ExternalId where the trust requires it', async () => {
    const host = emu.org.accounts.find((a) => a.roles.some((r) => r.name === 'partner-data-exchange'));
    const role = host?.roles.find((r) => r.name === 'partner-data-exchange');
    const externalId = JSON.stringify(role?.trustPolicy.document).match(/"sts:ExternalId":"([0-9a-f]+)"/)?.[1];
    if (!role || !externalId) throw new Error('fixture');
    const sts = clients.sts(emu);
    const wrong = await rejection(sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'partner', ExternalId: 'nope' })));
    expect(wrong.name).toBe('AccessDenied');
    const ok = await sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'partner', ExternalId: externalId }));
    expect(ok.AssumedRoleUser?.Arn).toContain(':assumed-role/partner-data-exchange/partner');
  });

  it('admits org members through aws:PrincipalOrgID and keeps MFA-only roles closed to key-based callers', async () => {
    const host = emu.org.accounts.find((a) => a.roles.some((r) => r.name === 'org-shared-artifacts-read'));
    const ok = await assumeInto(emu, host?.id ?? '', 'org-shared-artifacts-read');
    expect(ok.accessKeyId).toMatch(/^ASIA/);
    const glass = emu.org.accounts.find((a) => a.roles.some((r) => r.name === 'BreakGlassAdmin'));
    const inAccount = await assumeInto(emu, glass?.id ?? '');
    const noMfa = await rejection(
      clients.sts(emu, { credentials: inAccount }).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${glass?.id}:role/BreakGlassAdmin`, RoleSessionName: 'chained' })),
    );
    expect(noMfa.name).toBe('AccessDenied');
    expect((await assumeInto(emu, glass?.id ?? '', 'OrganizationAccountAccessRole')).accessKeyId).toMatch(/^ASIA/);
  });

  it('validates the request like STS', async () => {
    const sts = clients.sts(emu);
    const bad = await rejection(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::502865639452:role/AccessReviewReadOnly', RoleSessionName: 'has spaces' })));
    expect(bad.name).toBe('ValidationError');
    const long = await rejection(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::502865639452:role/AccessReviewReadOnly', RoleSessionName: 'x1', DurationSeconds: 7200 })));
    expect(long.message).toContain('MaxSessionDuration');
  });

  it('answers unknown keys, wrong session tokens and unsigned requests with the real error shapes', async () => {
    const unknown = await rejection(clients.sts(emu, { credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } }).send(new GetCallerIdentityCommand({})));
    expect(unknown.name).toBe('InvalidClientTokenId');
    expect(unknown.$metadata?.httpStatusCode).toBe(403);
    const creds = await assumeInto(emu, members()[0]?.id ?? '');
    const forged = await rejection(clients.sts(emu, { credentials: { ...creds, sessionToken: 'forged' } }).send(new GetCallerIdentityCommand({})));
    expect(forged.name).toBe('InvalidClientTokenId');
    const res = await fetch(emu.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toMatch(/^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
  });
});

describe('Organizations', () => {
  it('describes the organization', async () => {
    const out = await clients.organizations(emu).send(new DescribeOrganizationCommand({}));
    expect(out.Organization).toEqual({
      Id: emu.org.organization.id,
      Arn: emu.org.organization.arn,
      FeatureSet: 'ALL',
      MasterAccountArn: emu.org.organization.managementAccountArn,
      MasterAccountId: '502865639452',
      MasterAccountEmail: 'aws+acme-management@acme.example',
      AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
    });
  });

  it('lists every account over several pages, the suspended one included', async () => {
    const org = clients.organizations(emu);
    const first = await org.send(new ListAccountsCommand({ MaxResults: 2 }));
    expect(first.Accounts).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    const all = [];
    for await (const page of paginateListAccounts({ client: org, pageSize: 2 }, {})) all.push(...(page.Accounts ?? []));
    expect(all.map((a) => [a.Id, a.Name, a.Status])).toEqual(emu.org.accounts.map((a) => [a.id, a.name, a.status]));
    expect(all[0]?.JoinedTimestamp).toEqual(new Date(emu.org.accounts[0]?.joinedTimestamp ?? ''));
    expect(all[1]?.Arn).toBe(`arn:aws:organizations::502865639452:account/${emu.org.organization.id}/${emu.org.accounts[1]?.id}`);
  });

  it('refuses ListAccounts from a member account with AccessDeniedException', async () => {
    const creds = await assumeInto(emu, members()[0]?.id ?? '');
    const err = await rejection(clients.organizations(emu, { credentials: creds }).send(new ListAccountsCommand({})));
    expect(err.name).toBe('AccessDeniedException');
    const out = await clients.organizations(emu, { credentials: creds }).send(new DescribeOrganizationCommand({}));
    expect(out.Organization?.MasterAccountId).toBe('502865639452');
  });
});

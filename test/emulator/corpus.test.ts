import { describe, expect, it } from 'vitest';
import { IAMClient, GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { generateOrg } from '../../src/emulator/synthetic-org.js';
import { loadCorpus } from '../../src/emulator/corpus.js';
import { startEmulator } from '../../src/emulator/index.js';

const NOW = new Date('2026-12-01T00:00:00Z');

describe('emulator corpus loading', () => {
  it('replaces the generated roles, keeps the audit role, and fills the placeholders', () => {
    const org = generateOrg({ seed: 3, memberAccounts: 1, rolesPerAccount: 4, eventsPerAccount: 5, now: NOW });
    loadCorpus(org, {
      roles: [
        { name: 'corpus-a', trust: { Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::{{self}}:root' }, Action: 'sts:AssumeRole' } }, attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
        { name: 'corpus-b', account: 'member', trust: { Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': '{{orgId}}' } } } } },
      ],
    });
    const [management, member] = org.accounts;
    expect(management?.roles.map((r) => r.name)).toEqual([org.readOnlyRoleName, 'corpus-a']);
    expect(member?.roles.map((r) => r.name)).toEqual([org.readOnlyRoleName, 'corpus-b']);
    expect(management?.roles[1]?.trustPolicy.text).toContain(`arn:aws:iam::${management?.id}:root`);
    expect(member?.roles[1]?.trustPolicy.text).toContain(org.organization.id);
    expect(management?.managedPolicies.map((p) => p.arn)).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(management?.findings).toEqual([]);
  });

  it('refuses a policy it cannot serve, naming it', () => {
    const org = generateOrg({ seed: 3, memberAccounts: 1, rolesPerAccount: 4, eventsPerAccount: 5, now: NOW });
    expect(() => loadCorpus(org, { roles: [{ name: 'x', trust: {}, attached: ['arn:aws:iam::{{self}}:policy/missing'] }] })).toThrow(
      /role x attaches arn:aws:iam::\d{12}:policy\/missing, which is neither an AWS managed policy the emulator knows nor one of the corpus policies/,
    );
  });

  it('serves the corpus over IAM', async () => {
    const emu = await startEmulator({ seed: 3, now: NOW, org: { memberAccounts: 1, rolesPerAccount: 4, eventsPerAccount: 5 }, corpus: { roles: [{ name: 'served', trust: { Statement: [] } }], policies: [{ name: 'p', document: { Statement: [] } }] } });
    try {
      const iam = new IAMClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials });
      const out = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
      expect((out.RoleDetailList ?? []).map((r) => r.RoleName).sort()).toEqual([emu.org.readOnlyRoleName, 'served'].sort());
    } finally {
      await emu.close();
    }
  });
});

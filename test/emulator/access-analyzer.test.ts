import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetFindingV2Command,
  ListAnalyzersCommand,
  ListFindingsCommand,
  ListFindingsV2Command,
  paginateListFindings,
  paginateListFindingsV2,
  type FindingSummaryV2,
} from '@aws-sdk/client-accessanalyzer';
import { startEmulator, type RunningEmulator, type SyntheticAccount } from '../../src/emulator/index.js';
import { assumeInto, clients, FIXED_NOW, rejection } from './helpers.js';

let emu: RunningEmulator;
const account = (i: number): SyntheticAccount => {
  const a = emu.org.accounts.filter((x) => x.status === 'ACTIVE')[i];
  if (!a) throw new Error(`no active account ${i}`);
  return a;
};

beforeAll(async () => {
  emu = await startEmulator({ seed: 42, now: FIXED_NOW });
});
afterAll(async () => {
  await emu.close();
});

async function analyzerClient(a: SyntheticAccount, region?: string) {
  const credentials = a.isManagement ? undefined : await assumeInto(emu, a.id);
  return clients.accessAnalyzer(emu, { ...(credentials ? { credentials } : {}), ...(region ? { region } : {}) });
}

describe('Access Analyzer ListAnalyzers', () => {
  it('lists the analyzers of the account and region, optionally by type', async () => {
    const mgmt = account(0);
    const aa = await analyzerClient(mgmt);
    const out = await aa.send(new ListAnalyzersCommand({}));
    expect(out.analyzers?.map((a) => [a.arn, a.name, a.type, a.status])).toEqual(mgmt.analyzers.map((a) => [a.arn, a.name, a.type, 'ACTIVE']));
    expect(out.analyzers?.[0]?.createdAt).toEqual(new Date(mgmt.analyzers[0]?.createdAt ?? ''));
    const unused = await aa.send(new ListAnalyzersCommand({ type: 'ACCOUNT_UNUSED_ACCESS' }));
    expect(unused.analyzers?.map((a) => a.type)).toEqual(['ACCOUNT_UNUSED_ACCESS']);
    expect(unused.analyzers?.[0]?.configuration).toEqual({ unusedAccess: { unusedAccessAge: 90, analysisRule: { exclusions: [] } } });
  });

  it('answers an empty list where an account has no analyzer, and per region', async () => {
    expect((await (await analyzerClient(account(2))).send(new ListAnalyzersCommand({}))).analyzers).toEqual([]);
    const eu = await (await analyzerClient(account(1), 'eu-west-1')).send(new ListAnalyzersCommand({}));
    expect(eu.analyzers?.map((a) => a.arn)).toEqual([expect.stringMatching(/^arn:aws:access-analyzer:eu-west-1:\d{12}:analyzer\/ConsoleAnalyzer-/)]);
  });
});

describe('Access Analyzer findings', () => {
  it('pages ListFindingsV2 and returns each finding of the analyzer once', async () => {
    const a = account(1);
    const analyzer = a.analyzers.find((x) => x.region === 'us-east-1');
    const aa = await analyzerClient(a);
    const seen: FindingSummaryV2[] = [];
    for await (const page of paginateListFindingsV2({ client: aa, pageSize: 4 }, { analyzerArn: analyzer?.arn })) seen.push(...(page.findings ?? []));
    const truth = a.findings.filter((f) => f.analyzerArn === analyzer?.arn);
    expect(truth.length).toBeGreaterThan(4);
    expect(seen.map((f) => f.id)).toEqual(truth.map((f) => f.id));
    const first = seen[0];
    expect(first).toEqual({
      id: truth[0]?.id,
      resource: truth[0]?.resource,
      resourceType: 'AWS::IAM::Role',
      resourceOwnerAccount: a.id,
      status: truth[0]?.status,
      findingType: 'ExternalAccess',
      createdAt: new Date(truth[0]?.createdAt ?? ''),
      updatedAt: new Date(truth[0]?.updatedAt ?? ''),
      analyzedAt: new Date(truth[0]?.analyzedAt ?? ''),
    });
  });

  it('filters by findingType and status, and sorts', async () => {
    const mgmt = account(0);
    const unusedAnalyzer = mgmt.analyzers.find((x) => x.type === 'ACCOUNT_UNUSED_ACCESS');
    const aa = await analyzerClient(mgmt);
    const out = await aa.send(new ListFindingsV2Command({ analyzerArn: unusedAnalyzer?.arn, filter: { findingType: { eq: ['UnusedIAMRole'] }, status: { eq: ['ACTIVE'] } }, maxResults: 100 }));
    const truth = mgmt.findings.filter((f) => f.analyzerArn === unusedAnalyzer?.arn && f.findingType === 'UnusedIAMRole' && f.status === 'ACTIVE');
    expect(truth.length).toBeGreaterThan(0);
    expect(out.findings?.map((f) => f.id).sort()).toEqual(truth.map((f) => f.id).sort());
    const external = mgmt.analyzers.find((x) => x.type === 'ACCOUNT');
    const sorted = await aa.send(new ListFindingsV2Command({ analyzerArn: external?.arn, sort: { attributeName: 'createdAt', orderBy: 'DESC' } }));
    const dates = sorted.findings?.map((f) => f.createdAt?.getTime() ?? 0) ?? [];
    expect([...dates].sort((x, y) => y - x)).toEqual(dates);
    const archived = await aa.send(new ListFindingsV2Command({ analyzerArn: external?.arn, filter: { status: { eq: ['ARCHIVED'] } } }));
    expect(archived.findings?.every((f) => f.status === 'ARCHIVED')).toBe(true);
  });

  it('GetFindingV2 returns external-access details that match the trust policy', async () => {
    const a = account(1);
    const analyzer = a.analyzers.find((x) => x.region === 'us-east-1');
    const truth = a.findings.find((f) => f.analyzerArn === analyzer?.arn && f.resource.endsWith(':role/DatadogIntegrationRole'));
    if (!truth) throw new Error('no Datadog finding');
    const out = await (await analyzerClient(a)).send(new GetFindingV2Command({ analyzerArn: analyzer?.arn, id: truth.id }));
    expect(out.id).toBe(truth.id);
    expect(out.status).toBe('ARCHIVED');
    expect(out.findingType).toBe('ExternalAccess');
    expect(out.findingDetails).toEqual([
      {
        externalAccessDetails: {
          action: ['sts:AssumeRole'],
          condition: { 'sts:ExternalId': expect.stringMatching(/^[0-9a-f]{32}$/) },
          isPublic: false,
          principal: { AWS: 'arn:aws:iam::464622532012:root' },
        },
      },
    ]);
  });

  it('GetFindingV2 returns unused-access details with timestamps', async () => {
    const mgmt = account(0);
    const truth = mgmt.findings.find((f) => f.findingType === 'UnusedPermission');
    if (!truth) throw new Error('no UnusedPermission finding');
    const out = await (await analyzerClient(mgmt)).send(new GetFindingV2Command({ analyzerArn: truth.analyzerArn, id: truth.id }));
    const details = out.findingDetails ?? [];
    expect(details).toHaveLength(truth.details.length);
    for (const [i, d] of details.entries()) {
      const t = truth.details[i];
      if (!t || !('unusedPermissionDetails' in t)) throw new Error('detail kind');
      expect(d.unusedPermissionDetails?.serviceNamespace).toBe(t.unusedPermissionDetails.serviceNamespace);
      expect(d.unusedPermissionDetails?.actions?.map((x) => x.action)).toEqual(t.unusedPermissionDetails.actions.map((x) => x.action));
      const last = t.unusedPermissionDetails.lastAccessed;
      expect(d.unusedPermissionDetails?.lastAccessed).toEqual(last ? new Date(last) : undefined);
    }
  });

  it('answers unknown analyzers and findings with ResourceNotFoundException', async () => {
    const mgmt = account(0);
    const aa = await analyzerClient(mgmt);
    const missing = `arn:aws:access-analyzer:us-east-1:${mgmt.id}:analyzer/nope`;
    const e1 = await rejection(aa.send(new ListFindingsV2Command({ analyzerArn: missing })));
    expect(e1.name).toBe('ResourceNotFoundException');
    expect(e1.$metadata?.httpStatusCode).toBe(404);
    expect((e1 as unknown as { resourceId?: string }).resourceId).toBe(missing);
    const e2 = await rejection(aa.send(new GetFindingV2Command({ analyzerArn: mgmt.analyzers[0]?.arn, id: '00000000-0000-4000-8000-000000000000' })));
    expect(e2.name).toBe('ResourceNotFoundException');
    const noAnalyzers = await analyzerClient(account(2));
    expect((await rejection(noAnalyzers.send(new ListFindingsV2Command({ analyzerArn: mgmt.analyzers[0]?.arn })))).name).toBe('ResourceNotFoundException');
  });

  it('refuses with AccessDeniedException where configured', async () => {
    const a = account(1);
    emu.setFaults({ denyOperations: { [a.id]: ['access-analyzer:*'] } });
    try {
      const err = await rejection((await analyzerClient(a)).send(new ListAnalyzersCommand({})));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.$metadata?.httpStatusCode).toBe(403);
    } finally {
      emu.setFaults({});
    }
  });
});

describe('Access Analyzer ListFindings (the first API)', () => {
  it('lists external-access findings with their principal, actions, condition and isPublic in the summary', async () => {
    const mgmt = account(0);
    const aa = await analyzerClient(mgmt);
    const analyzer = mgmt.analyzers.find((a) => a.type === 'ACCOUNT');
    if (!analyzer) throw new Error('fixture');
    const got = [];
    for await (const page of paginateListFindings({ client: aa, pageSize: 2 }, { analyzerArn: analyzer.arn, filter: { status: { eq: ['ACTIVE'] } } })) {
      got.push(...(page.findings ?? []));
    }
    const truth = mgmt.findings.filter((f) => f.analyzerArn === analyzer.arn && f.status === 'ACTIVE');
    expect(truth.length).toBeGreaterThan(2);
    expect(got.map((f) => f.id)).toEqual(truth.map((f) => f.id));
    for (const [i, f] of got.entries()) {
      const d = truth[i]?.details[0];
      if (!d || !('externalAccessDetails' in d)) throw new Error('fixture');
      expect([f.principal, f.action, f.condition, f.isPublic]).toEqual([d.externalAccessDetails.principal, d.externalAccessDetails.action, d.externalAccessDetails.condition, d.externalAccessDetails.isPublic]);
      expect(f.createdAt).toEqual(new Date(truth[i]?.createdAt ?? ''));
    }
  });

  it('refuses an unused-access analyzer, as only ListFindingsV2 serves those', async () => {
    const mgmt = account(0);
    const aa = await analyzerClient(mgmt);
    const analyzer = mgmt.analyzers.find((a) => a.type === 'ACCOUNT_UNUSED_ACCESS');
    if (!analyzer) throw new Error('fixture');
    const err = await rejection(aa.send(new ListFindingsCommand({ analyzerArn: analyzer.arn })));
    expect(err.name).toBe('ValidationException');
  });
});

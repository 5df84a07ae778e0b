import { describe, expect, it } from 'vitest';
import type { AnalyzerRecord, CoverageItem } from '../../../src/model/snapshot.js';
import { ACCOUNT, EXTERNAL, ORG_ACCOUNT, account, analyzerFinding, findings, okCoverage, roleArn, run, runRoles, snapshot } from '../builders.js';

const findingsOnly = (list: ReturnType<typeof analyzerFinding>[], analyzers?: AnalyzerRecord[]) => ({
  accessAnalyzer: {
    analyzers: analyzers ?? [
      { arn: 'arn:aws:access-analyzer:us-east-1:111111111111:analyzer/ext', name: 'ext', type: 'ACCOUNT', status: 'ACTIVE', region: 'us-east-1' },
      { arn: 'arn:aws:access-analyzer:us-east-1:111111111111:analyzer/unused', name: 'unused', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE', region: 'us-east-1' },
    ],
    findings: list,
  },
});

describe('access-analyzer-external-access', () => {
  it('fires for each active external-access finding; public ones are critical', () => {
    const review = runRoles(
      [],
      findingsOnly([
        analyzerFinding(),
        analyzerFinding({
          id: 'aa-2',
          resource: 'arn:aws:s3:::acme-public',
          resourceType: 'AWS::S3::Bucket',
          details: [{ kind: 'externalAccess', principal: { AWS: '*' }, action: ['s3:GetObject'], condition: {}, isPublic: true }],
        }),
        analyzerFinding({ id: 'aa-3', status: 'ARCHIVED' }),
        analyzerFinding({ id: 'aa-4', status: 'RESOLVED' }),
      ]),
    );
    const hits = findings(review, 'access-analyzer-external-access');
    expect(hits.map((f) => [f.subject, f.severity, f.resource])).toEqual([
      ['aa-2', 'critical', 'arn:aws:s3:::acme-public'],
      ['aa-finding-1', 'high', roleArn('shared')],
    ]);
    expect(hits[1]?.message).toBe(`Access Analyzer finds external access to AWS::IAM::Role ${roleArn('shared')} by AWS: ${EXTERNAL}.`);
    expect(hits[1]?.evidence).toContainEqual({ label: 'Conditions', value: 'none' });
  });
});

describe('access-analyzer-unused-access', () => {
  it('fires for active unused-role and unused-permission findings', () => {
    const review = runRoles(
      [],
      findingsOnly([
        analyzerFinding({ id: 'u-1', findingType: 'UnusedIAMRole', details: [{ kind: 'unusedIamRole', lastAccessed: '2026-01-02T00:00:00.000Z' }] }),
        analyzerFinding({
          id: 'u-2',
          findingType: 'UnusedPermission',
          details: [{ kind: 'unusedPermission', serviceNamespace: 's3', actions: [{ action: 'DeleteBucket' }, { action: 'PutBucketPolicy' }] }],
        }),
        analyzerFinding({ id: 'u-3', findingType: 'UnusedIAMRole', status: 'ARCHIVED', details: [] }),
      ]),
    );
    const hits = findings(review, 'access-analyzer-unused-access');
    expect(hits.map((f) => [f.subject, f.severity]).sort()).toEqual([
      ['u-1', 'low'],
      ['u-2', 'low'],
    ]);
    const permissions = hits.find((f) => f.subject === 'u-2');
    expect(permissions?.message).toBe(`Access Analyzer reports unused permissions in s3 on ${roleArn('shared')}.`);
    expect(permissions?.evidence).toContainEqual({ label: 'Unused in s3', value: 'DeleteBucket, PutBucketPolicy' });
  });
});

describe('access-analyzer-not-enabled', () => {
  it('fires per account and region without an active external-access analyzer', () => {
    const review = runRoles([], findingsOnly([], []));
    expect(findings(review, 'access-analyzer-not-enabled').map((f) => [f.resource, f.subject, f.severity])).toEqual([[ACCOUNT, 'us-east-1', 'medium']]);
    expect(findings(review, 'access-analyzer-unused-not-enabled').map((f) => [f.resource, f.severity])).toEqual([[ACCOUNT, 'info']]);
  });

  it('an organization analyzer in the delegated admin account covers the members', () => {
    const admin = account([], {
      accountId: ORG_ACCOUNT,
      ...findingsOnly(
        [],
        [
          { arn: 'arn:aws:access-analyzer:us-east-1:222222222222:analyzer/org', name: 'org', type: 'ORGANIZATION', status: 'ACTIVE', region: 'us-east-1' },
          { arn: 'arn:aws:access-analyzer:us-east-1:222222222222:analyzer/org-unused', name: 'org-unused', type: 'ORGANIZATION_UNUSED_ACCESS', status: 'ACTIVE', region: 'us-east-1' },
        ],
      ),
    });
    const member = account([], findingsOnly([], []));
    const review = run(snapshot([member, admin]));
    expect(findings(review, 'access-analyzer-not-enabled')).toEqual([]);
    expect(findings(review, 'access-analyzer-unused-not-enabled')).toEqual([]);
  });

  it('a disabled analyzer does not count, and an unreadable region is not judged', () => {
    const disabled = runRoles([], findingsOnly([], [{ arn: 'a', name: 'ext', type: 'ACCOUNT', status: 'DISABLED', region: 'us-east-1' }]));
    expect(findings(disabled, 'access-analyzer-not-enabled')).toHaveLength(1);
    const coverage: CoverageItem[] = [{ source: 'access-analyzer', region: 'us-east-1', status: 'failed', detail: 'AccessDenied' }];
    const unreadable = runRoles([], { ...findingsOnly([], []), coverage });
    expect(findings(unreadable, 'access-analyzer-not-enabled')).toEqual([]);
  });
});

describe('coverage-cloudtrail-gap', () => {
  it('fires for a failed region, a region not read, and a window shorter than asked', () => {
    const snap = snapshot([
      account([], {
        coverage: [
          { source: 'iam', status: 'ok' },
          { source: 'cloudtrail', region: 'us-east-1', status: 'ok' },
          { source: 'cloudtrail', region: 'eu-west-1', status: 'failed', detail: 'Throttled after 5 retries', errorCode: 'ThrottlingException' },
        ],
        usage: { window: { start: '2026-10-26T06:00:00.000Z', end: '2026-11-25T06:00:00.000Z' }, regions: ['us-east-1'], eventsRead: 0, assumptions: [] },
      }),
    ]);
    snap.scope.regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
    const review = run(snap);
    const hits = findings(review, 'coverage-cloudtrail-gap');
    expect(hits.map((f) => [f.subject, f.severity]).sort()).toEqual([
      ['cloudtrail:ap-southeast-2', 'medium'],
      ['cloudtrail:eu-west-1', 'medium'],
      ['cloudtrail:window', 'low'],
    ]);
    expect(hits.find((f) => f.subject === 'cloudtrail:window')?.message).toBe(
      'CloudTrail usage covers 2026-10-26 to 2026-11-25, 60 days less than the 90-day window asked.',
    );
    expect(hits.find((f) => f.subject === 'cloudtrail:eu-west-1')?.message).toBe('CloudTrail in eu-west-1 was failed: Throttled after 5 retries');
  });

  it('stays quiet when every region was read over the whole window', () => {
    expect(findings(runRoles([]), 'coverage-cloudtrail-gap')).toEqual([]);
  });
});

describe('coverage-collection-gap', () => {
  it('fires high for a failed IAM read and medium for a partial Organizations read', () => {
    const coverage: CoverageItem[] = [
      ...okCoverage(),
      { source: 'iam', status: 'failed', detail: 'AccessDenied: iam:GetAccountAuthorizationDetails (an SCP denies it)', errorCode: 'AccessDenied' },
      { source: 'organizations', status: 'partial', detail: 'ListAccounts stopped after throttling' },
    ];
    const review = runRoles([], { coverage });
    expect(findings(review, 'coverage-collection-gap').map((f) => [f.subject, f.severity])).toEqual([
      ['iam:global', 'high'],
      ['organizations:global', 'medium'],
    ]);
    expect(review.summary.coverageGaps).toBe(2);
  });
});

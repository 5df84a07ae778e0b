import type { Snapshot } from '../../src/model/snapshot.js';

/** One account, one role trusted by an unknown external account: the smallest snapshot worth a report. */
export function tinySnapshot(): Snapshot {
  return {
    kind: 'access-review/snapshot',
    schemaVersion: '1.0',
    runId: '20261120T120000Z-abcdef',
    collectedAt: '2026-11-20T12:00:00.000Z',
    tool: { name: 'access-review', version: 'test' },
    scope: { mode: 'account', regions: ['us-east-1'], window: { start: '2026-08-22T12:00:00.000Z', end: '2026-11-20T12:00:00.000Z' } },
    accounts: [
      {
        accountId: '111111111111',
        roles: [
          {
            arn: 'arn:aws:iam::111111111111:role/partner',
            name: 'partner',
            roleId: 'AROAEXAMPLE000000001',
            path: '/',
            trustPolicy: {
              ok: true,
              document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }] },
            },
            inlinePolicies: [],
            attachedPolicies: [],
            tags: [],
          },
        ],
        managedPolicies: [],
        accessAnalyzer: { analyzers: [], findings: [] },
        usage: { regions: ['us-east-1'], eventsRead: 0, assumptions: [] },
        coverage: [{ source: 'iam', status: 'ok' }],
      },
    ],
  };
}

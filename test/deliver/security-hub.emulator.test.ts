import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAndDeliver } from '../../src/cli/pipeline.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { exportToSecurityHub, securityHubId, toAsff } from '../../src/deliver/security-hub.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { Finding, Review } from '../../src/model/review.js';
import { tinySnapshot } from '../cli/pipeline-fixture.js';
import { fixtureReview } from '../render/fixture-review.js';
import { runChecks } from '../../src/cli/check.js';
import { createClientFactory } from '../../src/collect/clients.js';

const SCOPE = 'organization-o-example';

/** The fixture's findings repeated under distinct ids, so one export needs several 100-finding batches. */
function reviewWith(count: number, generatedAt = '2026-11-25T06:00:00.000Z'): Review {
  const base = fixtureReview();
  const findings: Finding[] = Array.from({ length: count }, (_, i) => {
    const f = base.findings[i % base.findings.length]!;
    return { ...f, id: `${f.id}-${i}` };
  });
  return { ...base, generatedAt, findings };
}

describe('Security Hub export (real SDK client against the emulator)', () => {
  let emu: RunningEmulator;
  let client: SecurityHubClient;
  let account: string;
  const target = () => ({ region: 'us-east-1', account });

  beforeAll(async () => {
    emu = await startEmulator({ seed: 7, org: { memberAccounts: 2 } });
    account = emu.org.organization.managementAccountId;
    client = new SecurityHubClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: emu.credentials, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await emu.close();
  });

  async function all(): Promise<AwsSecurityFinding[]> {
    const out: AwsSecurityFinding[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new GetFindingsCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
      out.push(...(page.Findings ?? []));
      token = page.NextToken;
    } while (token);
    return out;
  }

  it('imports every finding in batches of at most 100; a re-run updates instead of duplicating and archives what was resolved', async () => {
    emu.resetCalls();
    const first = reviewWith(230);
    const r1 = await exportToSecurityHub(client, first, SCOPE, target());
    expect(r1).toEqual({ imported: 230, archived: 0, failures: [] });
    expect(emu.calls()['securityhub:BatchImportFindings']).toBe(3);
    let stored = await all();
    expect(stored).toHaveLength(230);
    expect(new Set(stored.map((f) => f.Id))).toEqual(new Set(first.findings.map((f) => securityHubId(SCOPE, f.id))));
    const suppressed = first.findings.filter((f) => f.status === 'suppressed').map((f) => securityHubId(SCOPE, f.id));
    expect(suppressed.length).toBeGreaterThan(0);
    for (const f of stored) expect(f.Workflow?.Status).toBe(suppressed.includes(f.Id ?? '') ? 'SUPPRESSED' : 'NEW');

    // 30 findings were fixed before the next run.
    const second = { ...reviewWith(230, '2026-12-02T06:00:00.000Z'), findings: reviewWith(200).findings };
    const r2 = await exportToSecurityHub(client, second, SCOPE, target());
    expect(r2).toEqual({ imported: 200, archived: 30, failures: [] });
    stored = await all();
    expect(stored).toHaveLength(230);
    const archived = stored.filter((f) => f.RecordState === 'ARCHIVED');
    expect(archived.map((f) => f.Id).sort()).toEqual(first.findings.slice(200).map((f) => securityHubId(SCOPE, f.id)).sort());
    for (const f of archived) expect(f.Workflow?.Status).toBe('RESOLVED');
    const kept = stored.find((f) => f.Id === securityHubId(SCOPE, second.findings[0]!.id));
    expect(kept).toMatchObject({ RecordState: 'ACTIVE', UpdatedAt: '2026-12-02T06:00:00.000Z', AwsAccountId: account });

    // Another scope's run leaves this scope's findings alone.
    const other = await exportToSecurityHub(client, reviewWith(5), 'account-123456789012', target());
    expect(other.archived).toBe(0);
    expect((await all()).filter((f) => f.RecordState === 'ARCHIVED')).toHaveLength(30);
  });

  it('maps severity, resource, remediation and the rule into ASFF fields Security Hub requires', () => {
    const review = fixtureReview();
    const f = review.findings.find((x) => x.resource.includes(':role/'))!;
    const asff = toAsff(f, review, SCOPE, { region: 'eu-west-1', account: '999988887777' });
    expect(asff).toMatchObject({
      SchemaVersion: '2018-10-08',
      ProductArn: 'arn:aws:securityhub:eu-west-1:999988887777:product/999988887777/default',
      GeneratorId: `access-review/${f.ruleId}`,
      AwsAccountId: '999988887777',
      Title: f.title,
      Remediation: { Recommendation: { Text: f.remediation.slice(0, 512) } },
      Resources: [{ Type: 'AwsIamRole', Id: f.resource, Partition: 'aws', Region: 'eu-west-1' }],
      ProductFields: { 'access-review/ruleId': f.ruleId, 'access-review/accountId': f.accountId, 'access-review/scope': SCOPE },
    });
    expect(asff.FindingProviderFields?.Severity?.Label).toBe(f.severity === 'info' ? 'INFORMATIONAL' : f.severity.toUpperCase());
  });

  it('reports each finding Security Hub refused, and the run counts it as a delivery error (exit 3)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ar-sh-'));
    const config = resolveConfig({ output: { dir, formats: ['json'] } }, {});
    const lines: { event: string; id?: string }[] = [];
    let refused = '';
    const result = await analyzeAndDeliver(tinySnapshot(), config, {
      now: new Date('2026-11-20T12:00:00Z'),
      log: (event, fields) => lines.push({ event, ...(fields as { id?: string }) }),
      exportFindings: async (review) => {
        refused = review.findings[0]!.id;
        emu.setFaults({ rejectFindings: [refused] });
        try {
          return await exportToSecurityHub(client, review, 'account-111111111111', target());
        } finally {
          emu.setFaults({});
        }
      },
    });
    expect(result.review.findings.length).toBeGreaterThan(1);
    expect(result.securityHub?.imported).toBe(result.review.findings.length - 1);
    expect(result.securityHub?.failures).toEqual([{ id: securityHubId('account-111111111111', refused), error: 'InvalidInput: Finding was rejected (injected fault)' }]);
    expect(result.deliveryErrors).toEqual([expect.stringContaining(`Security Hub did not take 1 finding(s): ${securityHubId('account-111111111111', refused)}`)]);
    expect(lines).toContainEqual(expect.objectContaining({ event: 'securityhub.finding.failed', id: securityHubId('account-111111111111', refused) }));
    const { exitCodeFor, EXIT } = await import('../../src/cli/exit.js');
    expect(exitCodeFor(result)).toBe(EXIT.delivery);
  });

  it('check probes Security Hub read-only when the export is enabled, and names a refusal', async () => {
    const config = resolveConfig({ aws: { endpoint: emu.endpoint, s3ForcePathStyle: true }, securityHub: { enabled: true }, output: { formats: ['json'] } }, {});
    const clients = createClientFactory(config.aws, emu.credentials);
    const ok = (await runChecks(config, clients, {})).find((i) => i.check === 'security-hub');
    expect(ok).toMatchObject({ status: 'ok', region: 'us-east-1' });
    expect(ok?.detail).toContain(`findings will be imported as arn:aws:securityhub:us-east-1:${account}:product/${account}/default`);
    emu.setFaults({ denyOperations: { [account]: ['securityhub:*'] } });
    try {
      const denied = (await runChecks(config, clients, {})).find((i) => i.check === 'security-hub');
      expect(denied?.status).toBe('fail');
      expect(denied?.detail).toMatch(/AccessDenied/);
    } finally {
      emu.setFaults({});
    }
    const off = await runChecks(resolveConfig({ aws: { endpoint: emu.endpoint }, output: { formats: ['json'] } }, {}), clients, {});
    expect(off.some((i) => i.check === 'security-hub')).toBe(false);
  });

  it('a finding for another account than the caller is refused per finding, as Security Hub does', async () => {
    const r = await exportToSecurityHub(client, reviewWith(3), 'account-222222222222', { region: 'us-east-1', account: '222222222222' });
    expect(r.imported).toBe(0);
    expect(r.failures).toHaveLength(3);
    expect(r.failures[0]?.error).toMatch(/^InvalidInput: AwsAccountId 222222222222 is not the caller's account/);
  });
});

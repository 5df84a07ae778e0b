/** A snapshot from another collector that leaves policy names out still loads, named from the ARNs. */
import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSnapshotFile } from '../../src/cli/commands.js';
import { account, role, policy, allow, snapshot, ADMIN_POLICY } from '../analyze/builders.js';

describe('loadSnapshotFile and policy names', () => {
  it('takes a missing managed policy or attachment name from its ARN', async () => {
    const unnamed = { arn: 'arn:aws:iam::111111111111:policy/team/deploy-app', awsManaged: false, policy: ADMIN_POLICY.policy };
    const snap = snapshot([
      account([role('app', policy(allow({ Service: 'lambda.amazonaws.com' })), { attachedPolicies: [{ arn: unnamed.arn }] as never })], {
        managedPolicies: [unnamed as never],
      }),
    ]);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'ar-names-')), 'snapshot.json');
    await writeFile(file, JSON.stringify(snap));
    const loaded = await loadSnapshotFile(file);
    expect(loaded.accounts[0]?.managedPolicies[0]?.name).toBe('deploy-app');
    expect(loaded.accounts[0]?.roles[0]?.attachedPolicies[0]?.name).toBe('deploy-app');
  });
});

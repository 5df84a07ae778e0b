import { describe, expect, it } from 'vitest';
import { encodeSnapshotJson } from '../../src/cli/snapshot-json.js';
import { encodeCompactJson } from '../../src/deliver/manifest.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { tinySnapshot } from './pipeline-fixture.js';

describe('encodeSnapshotJson', () => {
  it('writes exactly the bytes of the snapshot stringified whole: members after the accounts, non-ASCII text, undefined members left out', () => {
    const base = tinySnapshot();
    const account = base.accounts[0]!;
    const snapshot: Snapshot = {
      ...base,
      organization: { id: 'o-abc', managementAccountId: '111111111111', accounts: [{ id: '111111111111', name: 'Zürich “prod” ✓', status: 'ACTIVE' }] } as Snapshot['organization'],
      accounts: [account, { ...account, accountId: '222222222222', accountName: 'naïve \u2028 line', runId: undefined } as unknown as Snapshot['accounts'][number], { ...account, accountId: '333333333333' }],
      shard: { index: 1, count: 4, group: 'nightly' },
    } as Snapshot;
    const bytes = encodeSnapshotJson(snapshot);
    expect(Buffer.from(bytes).equals(Buffer.from(encodeCompactJson(snapshot)))).toBe(true);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(JSON.parse(JSON.stringify(snapshot)));
    expect(new TextDecoder().decode(bytes).endsWith('}\n')).toBe(true);
  });

  it('no account collected, and a member left undefined: still the whole document', () => {
    const snapshot = { ...tinySnapshot(), accounts: [], shard: undefined };
    expect(new TextDecoder().decode(encodeSnapshotJson(snapshot))).toBe(`${JSON.stringify(snapshot)}\n`);
  });
});

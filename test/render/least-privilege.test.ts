/** The least-privilege part of the report and the role card's table and draft, from a hand-made review. */
import { describe, expect, it } from 'vitest';
import type { RoleLeastPrivilege } from '../../src/model/least-privilege.js';
import type { Review } from '../../src/model/review.js';
import { renderHtml } from '../../src/render/html.js';
import { renderAll } from '../../src/render/index.js';
import { HOSTILE_ROLE_NAME, fixtureReview } from './fixture-review.js';

const lp: RoleLeastPrivilege = {
  status: 'complete',
  window: { start: '2025-10-31T06:00:00.000Z', end: '2026-12-05T06:00:00.000Z', days: 400 },
  grantedServices: 3,
  trackedServices: 2,
  usedServices: 1,
  grantedActions: 40,
  keptActions: 2,
  services: [
    {
      namespace: 's3',
      name: 'Amazon S3',
      grantedActions: 20,
      grantedLevels: { List: 4, Read: 16 },
      status: 'used',
      lastUsed: '2026-11-30T10:00:00.000Z',
      lastUsedRegion: 'eu-west-1',
      tracking: 'action',
      trackedActions: 3,
      usedActions: [{ action: 's3:ListAllMyBuckets', lastUsed: '2026-11-30T10:00:00.000Z' }],
      keptActions: 2,
    },
    { namespace: 'iam', grantedActions: 15, grantedLevels: { 'Permissions management': 5, Read: 10 }, status: 'unused', tracking: 'action', trackedActions: 4, usedActions: [], keptActions: 0 },
    { namespace: 'a4b', grantedActions: 5, grantedLevels: { Read: 5 }, status: 'not-tracked', tracking: 'none', keptActions: 0 },
  ],
  draft: {
    label: 'Draft computed from observed use between 2025-10-31 and 2026-12-05 (400 days, IAM Access Advisor); review before applying.',
    window: { start: '2025-10-31T06:00:00.000Z', end: '2026-12-05T06:00:00.000Z' },
    file: 'policies/111122223333/vendor.json',
    document: { Version: '2012-10-17', Statement: [{ Sid: 'ObservedUse1', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListAllMyBuckets'], Resource: '*' }] },
    kept: [{ namespace: 's3', actions: 2, levels: { List: 1, Read: 1 } }],
    notes: ['Access Advisor reports nothing for 1 granted service(s) (a4b); the draft leaves them out without evidence either way — add back any the role needs.'],
  },
};

function withLeastPrivilege(): Review {
  const review = fixtureReview();
  const role = review.accounts.flatMap((a) => a.roles).find((r) => r.name === HOSTILE_ROLE_NAME) ?? review.accounts[0]!.roles[0]!;
  role.leastPrivilege = lp;
  review.leastPrivilege = { rolesWithData: 1, rolesMissing: 0, lines: [{ roleArn: role.arn, accountId: role.accountId, roleName: role.name, text: `${role.name} grants 3 services, used 1 in 400 days.` }] };
  return review;
}

const text = (html: string): string => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

describe('least privilege in the report', () => {
  it('shows the summary line, the table and the draft, with untrusted names escaped', async () => {
    const html = await renderHtml(withLeastPrivilege());
    expect(html).not.toContain('<script>alert(1)</script>');
    const t = text(html);
    expect(t).toContain('Least privilege: granted vs used');
    expect(t).toContain('&lt;script&gt;alert(1)&lt;/script&gt; grants 3 services, used 1 in 400 days.');
    expect(t).toContain('Granted 3 services (40 actions); used 1 of the 2 Access Advisor tracks. Window: 31 Oct 2025 to 5 Dec 2026 (400 days).');
    expect(t).toContain('s3 Amazon S3 20 (16 read, 4 list) s3:ListAllMyBuckets (1 of 3 tracked) 30 Nov 2026, eu-west-1');
    expect(t).toContain('iam 15 (5 permissions mgmt, 10 read) none not in window');
    expect(t).toContain('Access Advisor reports nothing for 1 granted service, so their use is unknown: a4b.');
    expect(t).toContain('Keeps: s3: 2 (1 read, 1 list).');
    expect(html).toContain('&quot;Sid&quot;: &quot;ObservedUse1&quot;');
  });

  it('says when a role has no data instead of showing an empty table', async () => {
    const review = withLeastPrivilege();
    const role = review.accounts.flatMap((a) => a.roles).find((r) => r.leastPrivilege)!;
    role.leastPrivilege = { ...lp, status: 'missing', gap: 'IAM had not finished the report after 600 s.', services: [] };
    delete role.leastPrivilege.draft;
    const t = text(await renderHtml(review));
    expect(t).toContain('No last-accessed data for this role: IAM had not finished the report after 600 s. Granted and used cannot be compared, and no policy draft is made.');
  });

  it('adds the draft file to the run', async () => {
    const artifacts = await renderAll(withLeastPrivilege(), { pdf: false });
    const draft = artifacts.find((a) => a.name === 'policies/111122223333/vendor.json');
    expect(JSON.parse(new TextDecoder().decode(draft?.body))).toEqual(lp.draft?.document);
  });
});

import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load-config.js';
import { DEFAULT_CONFIG } from '../../src/config/config.js';
import { OWNERS_DEFAULTS } from '../../src/model/ownership.js';
import { ownerId } from '../../src/model/owner-id.js';

describe('owners config', () => {
  it('defaults to the contract defaults: owner and team tags, no list, reports on, all-clear sent', () => {
    expect(resolveConfig(undefined, {}).owners).toEqual(OWNERS_DEFAULTS);
    expect(DEFAULT_CONFIG.owners.roleTagKeys).not.toBe(OWNERS_DEFAULTS.roleTagKeys);
  });

  it('fills the scope lists an entry leaves out', () => {
    const config = resolveConfig({ owners: { accountTagKeys: ['cost-owner'], list: [{ name: 'Payments', emails: ['pay@acme.example'], accounts: ['111122223333'] }] } }, {});
    expect(config.owners.roleTagKeys).toEqual(['owner', 'team']);
    expect(config.owners.accountTagKeys).toEqual(['cost-owner']);
    expect(config.owners.list).toEqual([{ name: 'Payments', emails: ['pay@acme.example'], accounts: ['111122223333'], organizationalUnits: [], accountTags: {} }]);
  });

  it('names the path of an invalid email, account id, OU id and an entry without emails', () => {
    const bad = {
      owners: {
        list: [
          { name: 'Web', emails: ['web-team at acme'] },
          { name: 'Data', emails: ['d@acme.example'], accounts: ['12345'], organizationalUnits: ['Production'] },
          { name: 'Nobody', emails: [] },
        ],
      },
    };
    let message = '';
    try {
      resolveConfig(bad, {}, 'owners.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('owners.json is invalid');
    expect(message).toContain('/owners/list/0/emails/0: not an email address');
    expect(message).toContain('/owners/list/1/accounts/0: must match pattern');
    expect(message).toContain('/owners/list/1/organizationalUnits/0: must match pattern');
    expect(message).toContain('/owners/list/2/emails: must NOT have fewer than 1 items');
  });

  it('refuses two names that are one owner, and the name "unassigned"', () => {
    expect(() =>
      resolveConfig({ owners: { list: [{ name: 'Security Engineering', emails: ['a@acme.example'] }, { name: 'security-engineering', emails: ['b@acme.example'] }] } }, {}),
    ).toThrow(/owners\.list\[1\]\.name: "security-engineering" is the same owner as owners\.list\[0\] \("Security Engineering"\)/);
    expect(() => resolveConfig({ owners: { list: [{ name: 'Unassigned', emails: ['a@acme.example'] }] } }, {})).toThrow(/owners\.list\[0\]\.name: "unassigned" is what the report calls/);
  });

  it('refuses unknown fields and all-clear values', () => {
    expect(() => resolveConfig({ owners: { allClear: 'maybe' } }, {})).toThrow(/\/owners\/allClear: must be one of "send", "skip"/);
    expect(() => resolveConfig({ owners: { list: [{ name: 'x', emails: ['x@acme.example'], ous: [] }] } }, {})).toThrow(/\/owners\/list\/0: unknown field "ous"/);
  });
});

describe('ownerId', () => {
  it('is lower-case letters, digits and dashes, the same for a tag value and a config name', () => {
    expect(ownerId('Security Engineering')).toBe('security-engineering');
    expect(ownerId('security-engineering')).toBe('security-engineering');
    expect(ownerId('  PAYMENTS ')).toBe('payments');
    expect(ownerId('Équipe Données')).toBe('equipe-donnees');
    expect(ownerId('data-team@acme.example')).toBe('data-team-acme-example');
    expect(ownerId('<script>alert(1)</script>')).toBe('script-alert-1-script');
  });

  it('never gives "unassigned" or an empty id', () => {
    expect(ownerId('Unassigned')).toBe('owner-unassigned');
    expect(ownerId('!!!')).toMatch(/^owner-[a-z0-9]+$/);
    expect(ownerId('運用')).not.toBe(ownerId('開発'));
  });
});

/**
 * Every catalogued escalation method against the real action catalogue, both ways: a policy granting all
 * of its steps must flag it (must-flag), and its look-alike must not (must-not-flag): every step but the
 * last for a multi-step method, the method's `lookAlike` actions for a one-step one. A PassRole step limited
 * to another service by iam:PassedToService is a second look-alike for every pass-role method, and an explicit
 * Deny on a call the method needs no Allow for (assuming a role whose trust it rewrote) one for those methods.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ESCALATION_METHODS, summarizePermissions, type EscalationMethod } from '../../../src/analyze/permissions/index.js';
import { loadActionCatalog } from '../../../src/catalog/load-action-catalog.js';
import type { ActionCatalog } from '../../../src/model/action-catalog.js';
import { inline } from './policies.js';

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadActionCatalog();
});

const SELF = 'arn:aws:iam::111122223333:role/reviewed';
const flagged = (statements: unknown[]): string[] =>
  summarizePermissions([inline('fixture', { Version: '2012-10-17', Statement: statements })], catalog, undefined, { principalArn: SELF }).privilegeEscalation.map((m) => m.method);
const allowAll = (actions: readonly string[]) => ({ Effect: 'Allow', Action: [...actions], Resource: '*' });
const lookAlike = (m: EscalationMethod): readonly string[] => m.lookAlike ?? m.requires.slice(0, -1).map((s) => s.action);

describe('escalation catalogue fixtures, through the real action catalogue', () => {
  it('every action a method names exists in the catalogue, and so does every look-alike', () => {
    const known = new Set(catalog.actions.map((a) => `${a.service}:${a.name}`.toLowerCase()));
    const missing = ESCALATION_METHODS.flatMap((m) => [...m.requires.map((s) => s.action), ...(m.unlessDenied ?? []).map((s) => s.action), ...(m.lookAlike ?? [])]).filter((a) => !known.has(a.toLowerCase()));
    expect(missing).toEqual([]);
  });

  it('every one-step method names its look-alike', () => {
    expect(ESCALATION_METHODS.filter((m) => m.requires.length === 1 && (m.lookAlike ?? []).length === 0).map((m) => m.id)).toEqual([]);
  });

  for (const method of ESCALATION_METHODS) {
    it(`${method.id}: must flag all of ${method.requires.map((s) => s.action).join(' + ')}; must not flag ${lookAlike(method).join(' + ')}`, () => {
      expect(flagged([allowAll(method.requires.map((s) => s.action))])).toContain(method.id);
      expect(flagged([allowAll(lookAlike(method))])).not.toContain(method.id);
      // A call the method needs no Allow for is still blocked by an explicit Deny: a look-alike with it.
      const denied = (method.unlessDenied ?? []).map((s) => s.action);
      if (denied.length > 0) expect(flagged([allowAll(method.requires.map((s) => s.action)), { Effect: 'Deny', Action: denied, Resource: '*' }])).not.toContain(method.id);
      const pass = method.requires.find((s) => s.action === 'iam:PassRole');
      if (pass) {
        const others = method.requires.filter((s) => s !== pass).map((s) => s.action);
        const elsewhere = { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } } };
        expect(flagged([allowAll(others), elsewhere])).not.toContain(method.id);
      }
    });
  }
});

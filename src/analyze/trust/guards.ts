/**
 * Guards: the conditions on a trust grant that narrow who gets in, each judged for whether it actually
 * does. A StringLike "*" on an OIDC subject, an MFA check with IfExists (which long-term keys pass by
 * omitting the key), or aws:MultiFactorAuthPresent "false" look like guards and are not.
 */
import type { ClassifiedPrincipal, Guard, GuardKind, GuardParty } from '../../model/review.js';
import type { ConditionTest, Outcome } from '../policy/conditions.js';
import { parseArn } from '../policy/arn.js';
import { hasWildcard, literalPrefix, matchesAnything } from '../wildcard.js';
import { oidcIssuer } from './oidc-providers.js';
import { withCondition } from './guard-condition.js';

export interface GuardContext {
  /** The organization under review, to notice a PrincipalOrgID naming some other organization. */
  organizationId?: string;
  /** The role's account and the organization's accounts: what counts as inside for PrincipalAccount/Arn. */
  accountId?: string;
  orgAccountIds?: ReadonlySet<string>;
  /** Account ids of known vendors, to tell a vendor pinned by PrincipalAccount from an unknown party. */
  vendors?: ReadonlyMap<string, unknown>;
}

const AWS_KEY_KINDS: Record<string, GuardKind> = {
  'sts:externalid': 'external-id',
  'aws:multifactorauthpresent': 'mfa',
  'aws:multifactorauthage': 'mfa',
  'aws:principalorgid': 'principal-org-id',
  'aws:principalorgpaths': 'principal-org-paths',
  'aws:principalaccount': 'principal-account',
  'aws:principalarn': 'principal-arn',
  'aws:sourceaccount': 'source-account',
  'aws:sourceowner': 'source-account',
  'aws:sourcearn': 'source-arn',
  'aws:sourceorgid': 'source-org-id',
  'aws:sourceorgpaths': 'source-org-id',
  'saml:aud': 'saml-aud',
  'aws:sourceip': 'source-ip',
  'aws:sourcevpc': 'source-vpc',
  'aws:sourcevpce': 'source-vpc',
};

export function guardKindOf(keyLower: string): GuardKind {
  const known = AWS_KEY_KINDS[keyLower];
  if (known) return known;
  // Web-identity claims are keyed by issuer: "<issuer host/path>:sub", ":aud", ":oaud", ":azp".
  if (keyLower.startsWith('aws:') || keyLower.startsWith('sts:') || keyLower.startsWith('saml:')) return 'other';
  if (keyLower.endsWith(':sub')) return 'oidc-sub';
  if (keyLower.endsWith(':aud') || keyLower.endsWith(':oaud') || keyLower.endsWith(':azp')) return 'oidc-aud';
  return 'other';
}

/** What the grant adds to a guard's judgement: the test's outcome where known at review time, and who calls. */
export interface GuardFacts {
  outcome?: Outcome;
  principal?: ClassifiedPrincipal;
  /** Why the test cannot hold when it is for want of a key or variable the caller never carries. */
  deadBecause?: string;
}

/** Keys about the caller's identity, which for a service principal describe the service itself. */
const CALLER_IDENTITY_KINDS: readonly GuardKind[] = ['principal-account', 'principal-arn', 'principal-org-id', 'principal-org-paths'];

/**
 * The guard for one condition test: for a test derived from a one-condition Deny (already negated), the
 * evidence keeps the Deny's condition as written, and the test itself rides beside the guard for the
 * trust engine (guard-condition.ts), since the evidence alone reads as the opposite condition.
 */
export function guardFromTest(test: ConditionTest, context: GuardContext = {}, facts: GuardFacts = {}): Guard {
  const kind = guardKindOf(test.keyLower);
  const verdict = decided(test, context, facts) ?? judge(kind, test, context);
  const guard: Guard = {
    kind,
    operator: test.operator,
    key: test.key,
    values: test.writtenValues,
    effective: verdict.effective,
  };
  const notes = [test.fromDeny ? `Enforced by ${test.fromDeny.label}, which denies requests that fail it.` : undefined, verdict.note];
  const note = notes.filter((n): n is string => Boolean(n)).join(' ');
  if (note) guard.note = note;
  const party = verdict.effective ? partyOf(kind, test, context) : undefined;
  if (party) guard.party = party;
  return withCondition(guard, { kind: 'test', test });
}

/**
 * Whom an identity or source guard admits, relative to the organization. Undefined where it cannot be told
 * (no organization known, a wildcard in the value) or the key names neither the caller nor its source.
 */
function partyOf(kind: GuardKind, test: ConditionTest, context: GuardContext): GuardParty | undefined {
  // A value built on a policy variable ("${aws:ResourceOrgID}") names whoever the request does, not a party.
  if (test.negated || test.family === 'null' || test.values.some((v) => v.includes('${'))) return undefined;
  if (kind === 'principal-org-id' || kind === 'principal-org-paths' || kind === 'source-org-id') {
    if (!context.organizationId) return undefined;
    // An org path starts with the organization id: "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/".
    const paths = test.keyLower.endsWith('orgpaths');
    const orgs = test.values.map((v) => (paths ? (v.split('/')[0] ?? '') : v));
    if (orgs.some((o) => o === '' || hasWildcard(o))) return undefined;
    return orgs.every((o) => o === context.organizationId) ? 'inside' : 'outside';
  }
  if (kind === 'principal-account' || kind === 'source-account') return partyOfAccounts(test.values, context);
  if (kind === 'principal-arn' || kind === 'source-arn') return partyOfAccounts(test.values.map((v) => parseArn(v)?.account), context);
  return undefined;
}

/** Whom a set of caller accounts (undefined where unknown) lies with, relative to the organization. */
export function partyOfAccounts(accounts: readonly (string | undefined)[], context: GuardContext): GuardParty | undefined {
  if (context.accountId === undefined || accounts.length === 0 || accounts.some((a) => a === undefined || a === '' || hasWildcard(a))) return undefined;
  const outside = (accounts as string[]).filter((a) => a !== context.accountId && !context.orgAccountIds?.has(a));
  if (outside.length === 0) return 'inside';
  return outside.every((a) => context.vendors?.has(a)) ? 'vendor' : 'outside';
}

interface Verdict {
  effective: boolean;
  note?: string;
}

/**
 * Verdicts that do not depend on the operator's shape: a test whose outcome is known at review time, and
 * keys that cannot restrict the caller they are written for.
 */
function decided(test: ConditionTest, context: GuardContext, facts: GuardFacts): Verdict | undefined {
  if (test.keyLower === 'aws:resourceaccount') {
    const own = context.accountId ? ` (${context.accountId})` : '';
    return facts.outcome === 'false'
      ? { effective: true, note: `aws:ResourceAccount in a trust policy is always the role's own account${own}, which this value excludes: the statement admits nobody.` }
      : { effective: false, note: `aws:ResourceAccount in a trust policy is always the role's own account${own}, so it does not restrict the caller.` };
  }
  if (facts.principal?.type === 'Service' && CALLER_IDENTITY_KINDS.includes(guardKindOf(test.keyLower))) {
    return {
      effective: false,
      note: `${test.key} on a service principal describes the service, not the resource it acts for, so it does not protect against a confused deputy; use aws:SourceAccount or aws:SourceArn.`,
    };
  }
  if (facts.outcome === 'true') return { effective: false, note: `${decidedWhy(test, facts, true)} always holds at review time.` };
  // No caller can satisfy it: the statement is a dead grant, and a guard nobody passes protects nothing.
  if (facts.outcome === 'false') return { effective: false, note: `It cannot hold (${decidedWhy(test, facts, false)}), so the statement admits nobody: a dead grant.` };
  return undefined;
}

function decidedWhy(test: ConditionTest, facts: GuardFacts, holds: boolean): string {
  if (!holds && facts.deadBecause) return facts.deadBecause;
  const written = `${test.operator} ${test.writtenValues.map((v) => JSON.stringify(v)).join(', ')}`;
  switch (test.keyLower) {
    case 'aws:currenttime':
    case 'aws:epochtime':
      return `${test.key} ${written} is decided by the review date`;
    case 'aws:tokenissuetime':
      return `${test.key} ${written} is decided for every live session, issued at most 36 hours before the review`;
    case 'aws:multifactorauthpresent':
    case 'aws:multifactorauthage':
      return `${facts.principal?.type === 'Service' ? 'An AWS service' : 'A federated caller'} carries no ${test.key}, so ${written}`;
    case 'aws:principalisawsservice':
      return `${test.key} is fixed by the principal's type, so ${written}`;
    case 'sts:externalid':
      return `STS accepts an external id of 2 to 1,224 characters from [\\w+=,.@:/-], so ${test.key} ${written}${holds ? '' : ' never holds'}`;
    case 'aws:sourceaccount':
    case 'aws:sourcearn':
    case 'aws:sourceowner':
    case 'aws:sourceorgid':
    case 'aws:sourceorgpaths':
      return `${test.key} is in a request only when an AWS service acts for a resource, and ${facts.principal?.label ?? 'this principal'} is not a service, so ${written}${holds ? '' : ' never holds'}`;
    case 'aws:principalaccount':
    case 'aws:principalarn':
      return `${facts.principal?.label ?? 'The principal'} calls as ${facts.principal?.accountId ?? 'its own account'}, so ${test.key} ${written}${holds ? '' : ' never holds'}`;
    case 'aws:principalorgid':
      return `${facts.principal?.label ?? 'The principal'} is in an account outside the organization, so ${test.key} ${written}${holds ? '' : ' never holds'}`;
    case 'aws:principalorgpaths':
      return `${facts.principal?.label ?? 'The principal'} is in an account outside the organization, whose paths never start with its id, so ${test.key} ${written}${holds ? '' : ' never holds'}`;
    default:
      return holds ? `${test.key} ${written} matches every value the request can carry` : `${test.key} ${written} matches no value a request can carry`;
  }
}

function judge(kind: GuardKind, test: ConditionTest, context: GuardContext): Verdict {
  if (test.family === 'unknown') return { effective: false, note: `Unrecognised operator ${test.operator}.` };
  if (test.family === 'null') return judgeNull(kind, test);
  if (test.absentPasses) return { effective: false, note: absentNote(test) };
  if (test.negated) {
    return { effective: false, note: `${test.base} admits every value except those listed.` };
  }
  if (test.like && test.values.some(matchesAnything)) {
    return { effective: false, note: `The pattern "${test.values.find(matchesAnything) ?? '*'}" matches any value.` };
  }
  switch (kind) {
    case 'mfa':
      return judgeMfa(test);
    case 'oidc-sub':
      return judgeSubject(test);
    case 'source-arn':
    case 'principal-arn':
      return judgeArnPattern(test);
    case 'source-account':
    case 'principal-account':
      return test.like && test.values.some((v) => hasWildcard(v))
        ? { effective: false, note: 'A wildcard in the account id admits other accounts.' }
        : { effective: true };
    case 'principal-org-id':
      return judgeOrgId(test, context);
    case 'source-ip':
      return test.values.some((v) => v === '0.0.0.0/0' || v === '::/0')
        ? { effective: false, note: 'The range admits every address.' }
        : { effective: true };
    default:
      return { effective: true };
  }
}

function absentNote(test: ConditionTest): string {
  if (test.fromDeny) return `The Deny applies only when ${test.key} is present, so requests without it pass.`;
  if (test.ifExists) return `${test.operator} passes when the request carries no ${test.key}.`;
  if (test.set === 'ForAllValues') return `ForAllValues passes when the request carries no ${test.key} (an empty set).`;
  return `${test.base} passes when the request carries no ${test.key}.`;
}

function judgeNull(kind: GuardKind, test: ConditionTest): Verdict {
  if (test.values.includes('true')) {
    return { effective: false, note: `Null "true" requires ${test.key} to be absent, which narrows nothing.` };
  }
  // MultiFactorAuthAge exists only in MFA-authenticated sessions, so requiring its presence requires MFA.
  if (kind === 'mfa' && test.keyLower === 'aws:multifactorauthage') return { effective: true };
  return { effective: false, note: `Null "false" only requires ${test.key} to be present; any value passes.` };
}

function judgeMfa(test: ConditionTest): Verdict {
  if (test.keyLower === 'aws:multifactorauthpresent') {
    if (test.family !== 'bool' && test.family !== 'string') return { effective: false, note: `${test.base} does not test a boolean.` };
    const values = test.values.map((v) => v.toLowerCase());
    if (values.includes('false')) {
      return { effective: false, note: 'aws:MultiFactorAuthPresent "false" admits sessions without MFA; it is not an MFA requirement.' };
    }
    return values.includes('true') ? { effective: true } : { effective: false, note: 'No "true" value to require.' };
  }
  // MultiFactorAuthAge: any positive numeric comparison fails when the key is absent, i.e. without MFA.
  return test.family === 'numeric' ? { effective: true } : { effective: false, note: `${test.base} does not compare an age.` };
}

/**
 * A subject pattern restricts only if it pins the owner: "repo:acme/*" admits acme's repositories,
 * "repo:acme*" also admits "acme-evil", and "repo:*" admits every repository on the issuer.
 */
function judgeSubject(test: ConditionTest): Verdict {
  if (!test.like) return { effective: true };
  const issuer = oidcIssuer(test.key.slice(0, test.key.length - ':sub'.length));
  const broad: string[] = [];
  for (const value of test.values) {
    if (!hasWildcard(value)) continue;
    const prefix = literalPrefix(value);
    const claimPrefix = issuer.subjectPrefixes.find((p) => prefix.toLowerCase().startsWith(p.toLowerCase())) ?? '';
    const owner = prefix.slice(claimPrefix.length);
    const pinned = claimPrefix ? /[/:]/.test(owner) && !/^[/:]/.test(owner) : owner.length > 0;
    if (!pinned) {
      return {
        effective: false,
        note: `The pattern "${value}" does not pin the ${claimPrefix ? 'owner' : 'subject'}: tokens of other ${issuer.multiTenant ? `${issuer.name} users` : 'subjects'} match it.`,
      };
    }
    broad.push(`"${value}" admits any subject starting with "${prefix}"`);
  }
  return broad.length > 0 ? { effective: true, note: `${broad.join('; ')}.` } : { effective: true };
}

function judgeArnPattern(test: ConditionTest): Verdict {
  for (const value of test.values) {
    if (!hasWildcard(value)) continue;
    const arn = parseArn(value);
    if (!arn) {
      return literalPrefix(value).length < 'arn:aws:'.length
        ? { effective: false, note: `The pattern "${value}" admits resources in any account.` }
        : { effective: true };
    }
    if (hasWildcard(arn.account)) return { effective: false, note: `The pattern "${value}" admits any account.` };
    if (arn.account === '' && (arn.resource === '' || /^[*?]/.test(arn.resource))) {
      // S3 ARNs carry no account: a leading wildcard admits every bucket in every account.
      return { effective: false, note: `The pattern "${value}" admits resources in any account.` };
    }
  }
  return { effective: true };
}

function judgeOrgId(test: ConditionTest, context: GuardContext): Verdict {
  if (test.values.some((v) => hasWildcard(v) && test.like)) {
    const prefix = literalPrefix(test.values.find((v) => hasWildcard(v)) ?? '');
    if (prefix.length <= 'o-'.length) return { effective: false, note: 'The pattern admits any organization.' };
  }
  if (context.organizationId && !test.values.includes(context.organizationId) && !test.values.some((v) => v.includes('${'))) {
    return { effective: true, note: `Names ${test.values.join(', ')}, not this organization (${context.organizationId}).` };
  }
  return { effective: true };
}

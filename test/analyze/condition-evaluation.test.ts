/** The one condition evaluator, family by family, as IAM's policy evaluation logic describes it. */
import { describe, expect, it } from 'vitest';
import { conditionTest, evaluateTest, knownKeys, type KnownValue } from '../../src/analyze/policy/conditions.js';

const values = (...v: string[]): KnownValue => ({ kind: 'values', values: v });
const absent: KnownValue = { kind: 'absent' };
const run = (operator: string, key: string, policyValues: string[], known: KnownValue | undefined) =>
  evaluateTest(conditionTest({ operator, key, values: policyValues }), known);

describe('string operators', () => {
  it('StringEquals compares "*" as a character; only *Like expands wildcards', () => {
    expect(run('StringEquals', 'aws:username', ['*'], values('alice'))).toBe('false');
    expect(run('StringEquals', 'aws:username', ['*'], values('*'))).toBe('true');
    expect(run('StringLike', 'aws:username', ['al*'], values('alice'))).toBe('true');
    expect(run('StringLike', 'aws:username', ['a?ice'], values('alice'))).toBe('true');
    expect(run('StringNotLike', 'aws:username', ['al*'], values('alice'))).toBe('false');
  });
  it('StringEquals is case-sensitive, the IgnoreCase variants are not', () => {
    expect(run('StringEquals', 'k', ['Alice'], values('alice'))).toBe('false');
    expect(run('StringEqualsIgnoreCase', 'k', ['Alice'], values('alice'))).toBe('true');
    expect(run('StringNotEqualsIgnoreCase', 'k', ['Alice'], values('alice'))).toBe('false');
  });
  it('a StringLike "*" holds for any present value but not when the key is absent', () => {
    expect(run('StringLike', 'k', ['*'], undefined)).toBe('unknown');
    expect(run('StringLikeIfExists', 'k', ['*'], undefined)).toBe('true');
  });
});

describe('arn operators', () => {
  it('ArnEquals and ArnLike both match each ARN field on its own, wildcards included', () => {
    const arn = 'arn:aws:iam::111122223333:role/app/deploy';
    expect(run('ArnEquals', 'aws:PrincipalArn', ['arn:aws:iam::111122223333:role/*'], values(arn))).toBe('true');
    expect(run('ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/app/*'], values(arn))).toBe('true');
    // A wildcard in the account field does not reach into the resource field.
    expect(run('ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::*'], values(arn))).toBe('false');
    expect(run('ArnNotLike', 'aws:PrincipalArn', ['arn:aws:iam::999988887777:*'], values(arn))).toBe('true');
  });
});

describe('numeric, date, bool, binary, ip and null', () => {
  it('numeric comparisons, and a malformed policy value that never matches', () => {
    expect(run('NumericLessThan', 'aws:MultiFactorAuthAge', ['3600'], values('120'))).toBe('true');
    expect(run('NumericGreaterThanEquals', 'k', ['10'], values('9'))).toBe('false');
    expect(run('NumericNotEquals', 'k', ['10'], values('9'))).toBe('true');
    expect(run('NumericEquals', 'k', ['ten'], undefined)).toBe('false');
  });
  it('dates in ISO 8601 and epoch seconds', () => {
    expect(run('DateGreaterThan', 'aws:CurrentTime', ['2026-01-01T00:00:00Z'], values('2026-12-06T00:00:00.000Z'))).toBe('true');
    expect(run('DateLessThan', 'aws:CurrentTime', ['1767225600'], values('2026-12-06T00:00:00.000Z'))).toBe('false');
    expect(run('DateNotEquals', 'aws:CurrentTime', ['2026-12-06T00:00:00Z'], values('2026-12-06T00:00:00.000Z'))).toBe('false');
  });
  it('Bool, and a Bool value that is neither true nor false', () => {
    expect(run('Bool', 'aws:SecureTransport', ['true'], values('true'))).toBe('true');
    expect(run('Bool', 'aws:SecureTransport', ['TRUE'], values('false'))).toBe('false');
    expect(run('Bool', 'aws:SecureTransport', ['yes'], undefined)).toBe('false');
  });
  it('BinaryEquals compares the base64 text', () => {
    expect(run('BinaryEquals', 'k', ['QmluYXJ5'], values('QmluYXJ5'))).toBe('true');
  });
  it('IpAddress and NotIpAddress over IPv4 and IPv6 ranges', () => {
    expect(run('IpAddress', 'aws:SourceIp', ['203.0.113.0/24'], values('203.0.113.9'))).toBe('true');
    expect(run('IpAddress', 'aws:SourceIp', ['203.0.113.0/24'], values('198.51.100.1'))).toBe('false');
    expect(run('NotIpAddress', 'aws:SourceIp', ['203.0.113.0/24'], values('198.51.100.1'))).toBe('true');
    expect(run('IpAddress', 'aws:SourceIp', ['2001:db8::/32'], values('2001:db8::1'))).toBe('true');
    expect(run('IpAddress', 'aws:SourceIp', ['203.0.113.7'], values('203.0.113.7'))).toBe('true');
  });
  it('Null tests presence only', () => {
    expect(run('Null', 'aws:TokenIssueTime', ['true'], absent)).toBe('true');
    expect(run('Null', 'aws:TokenIssueTime', ['false'], absent)).toBe('false');
    expect(run('Null', 'aws:TokenIssueTime', ['false'], values('x'))).toBe('true');
  });
});

describe('absent keys, IfExists and the set operators', () => {
  it('a missing key fails positive operators and passes negated ones and IfExists', () => {
    expect(run('StringEquals', 'sts:ExternalId', ['x'], absent)).toBe('false');
    expect(run('StringNotEquals', 'sts:ExternalId', ['x'], absent)).toBe('true');
    expect(run('StringEqualsIfExists', 'sts:ExternalId', ['x'], absent)).toBe('true');
    expect(run('StringEqualsIfExists', 'sts:ExternalId', ['x'], values('y'))).toBe('false');
  });
  it('ForAnyValue needs one value to match; ForAllValues needs every value, and holds on an absent key', () => {
    expect(run('ForAnyValue:StringEquals', 'aws:TagKeys', ['team'], values('team', 'cost'))).toBe('true');
    expect(run('ForAllValues:StringEquals', 'aws:TagKeys', ['team'], values('team', 'cost'))).toBe('false');
    expect(run('ForAllValues:StringEquals', 'aws:TagKeys', ['team', 'cost'], values('team', 'cost'))).toBe('true');
    expect(run('ForAllValues:StringEquals', 'aws:TagKeys', ['team'], absent)).toBe('true');
    expect(run('ForAnyValue:StringEquals', 'aws:TagKeys', ['team'], absent)).toBe('false');
    expect(run('ForAnyValue:StringNotEquals', 'aws:TagKeys', ['team'], values('team', 'cost'))).toBe('true');
  });
});

describe('keys known at review time', () => {
  const now = new Date('2026-12-06T09:00:00.000Z');
  it('aws:CurrentTime and aws:EpochTime are evaluated against now', () => {
    const known = knownKeys({ now });
    const time = (operator: string, key: string, v: string) => run(operator, key, [v], known.get(key.toLowerCase()));
    expect(time('DateLessThan', 'aws:CurrentTime', '2025-01-01T00:00:00Z')).toBe('false');
    expect(time('DateGreaterThan', 'aws:CurrentTime', '2025-01-01T00:00:00Z')).toBe('true');
    expect(time('NumericLessThan', 'aws:EpochTime', '1735689600')).toBe('false');
    expect(time('DateGreaterThan', 'aws:EpochTime', '1735689600')).toBe('true');
  });
  it('aws:TokenIssueTime on a caller that may sign with long-term keys is decided only where absence agrees', () => {
    const known = knownKeys({ now, caller: 'aws' });
    const issued = (operator: string, v: string) => run(operator, 'aws:TokenIssueTime', [v], known.get('aws:tokenissuetime'));
    expect(issued('DateLessThan', '2020-01-01T00:00:00Z')).toBe('false');
    expect(issued('DateGreaterThan', '2020-01-01T00:00:00Z')).toBe('unknown');
    expect(issued('DateGreaterThanIfExists', '2020-01-01T00:00:00Z')).toBe('true');
    expect(knownKeys({ now, caller: 'web-identity' }).get('aws:tokenissuetime')).toEqual({ kind: 'absent' });
  });

  it('aws:TokenIssueTime: a live session was issued at most 36 hours before now', () => {
    const known = knownKeys({ now, caller: 'aws', session: true });
    const issued = (operator: string, v: string) => run(operator, 'aws:TokenIssueTime', [v], known.get('aws:tokenissuetime'));
    expect(issued('DateGreaterThan', '2026-01-01T00:00:00Z')).toBe('true');
    expect(issued('DateLessThan', '2026-01-01T00:00:00Z')).toBe('false');
    // Within the 36 hours it depends on the session.
    expect(issued('DateGreaterThan', '2026-12-06T00:00:00Z')).toBe('unknown');
    expect(issued('DateEquals', '2020-01-01T00:00:00Z')).toBe('false');
  });
  it('services and federated callers carry no MFA key; IAM callers may', () => {
    const service = knownKeys({ caller: 'service' });
    expect(run('Bool', 'aws:MultiFactorAuthPresent', ['true'], service.get('aws:multifactorauthpresent'))).toBe('false');
    expect(run('BoolIfExists', 'aws:MultiFactorAuthPresent', ['true'], service.get('aws:multifactorauthpresent'))).toBe('true');
    const iam = knownKeys({ caller: 'aws' });
    expect(iam.get('aws:multifactorauthpresent')).toBeUndefined();
  });
  it('aws:ResourceAccount is the resource owner', () => {
    const known = knownKeys({ resourceAccount: '111111111111' });
    expect(run('StringEquals', 'aws:ResourceAccount', ['111111111111'], known.get('aws:resourceaccount'))).toBe('true');
    expect(run('StringEquals', 'aws:ResourceAccount', ['999988887777'], known.get('aws:resourceaccount'))).toBe('false');
  });
});

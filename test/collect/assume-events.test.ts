import { describe, expect, it } from 'vitest';
import { aggregateAssumeEvents, parseAssumeEvent, accountOfArn } from '../../src/collect/assume-events.js';

const ROLE = 'arn:aws:iam::111111111111:role/deploy';

function record(overrides: Record<string, unknown>): string {
  return JSON.stringify({
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:ci',
      arn: 'arn:aws:sts::222222222222:assumed-role/ci/ci',
      accountId: '222222222222',
      sessionContext: { attributes: { mfaAuthenticated: 'false', creationDate: '2026-11-01T00:00:00Z' } },
    },
    eventTime: '2026-11-20T10:00:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    requestParameters: { roleArn: ROLE, roleSessionName: 'ci' },
    resources: [{ ARN: ROLE, accountId: '111111111111', type: 'AWS::IAM::Role' }],
    recipientAccountId: '111111111111',
    eventID: 'e-1',
    ...overrides,
  });
}

describe('parseAssumeEvent', () => {
  it('reads caller, role, MFA and external id from a cross-account AssumeRole record', () => {
    const e = parseAssumeEvent(
      record({
        requestParameters: { roleArn: ROLE, roleSessionName: 'ci', externalId: 'abc' },
        userIdentity: {
          type: 'IAMUser',
          arn: 'arn:aws:iam::222222222222:user/alice',
          accountId: '222222222222',
          sessionContext: { attributes: { mfaAuthenticated: 'true' } },
        },
      }),
    );
    expect(e).toEqual({
      eventId: 'e-1',
      eventName: 'AssumeRole',
      eventTime: '2026-11-20T10:00:00.000Z',
      region: 'us-east-1',
      roleArn: ROLE,
      callerAccountId: '222222222222',
      callerArn: 'arn:aws:iam::222222222222:user/alice',
      callerType: 'IAMUser',
      mfa: true,
      externalId: true,
    });
  });

  it('takes the identity provider as the caller of a web-identity assumption', () => {
    const e = parseAssumeEvent(
      record({
        eventName: 'AssumeRoleWithWebIdentity',
        userIdentity: { type: 'WebIdentityUser', principalId: 'token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/app', identityProvider: 'token.actions.githubusercontent.com' },
      }),
    );
    expect(e?.callerArn).toBe('token.actions.githubusercontent.com');
    expect(e?.callerAccountId).toBeUndefined();
    expect(e?.callerType).toBe('WebIdentityUser');
  });

  it('names the SAML provider from requestParameters.principalArn, not the opaque identityProvider hash', () => {
    const e = parseAssumeEvent(
      record({
        eventName: 'AssumeRoleWithSAML',
        userIdentity: { type: 'SAMLUser', principalId: 'Xq0pAbc=:alice', userName: 'alice', identityProvider: 'Xq0pAbc=' },
        requestParameters: { roleArn: ROLE, principalArn: 'arn:aws:iam::111111111111:saml-provider/Okta' },
      }),
    );
    expect(e?.callerArn).toBe('arn:aws:iam::111111111111:saml-provider/Okta');
    expect(e?.callerType).toBe('SAMLUser');
  });

  it('falls back to the resources list when requestParameters has no roleArn', () => {
    expect(parseAssumeEvent(record({ requestParameters: null }))?.roleArn).toBe(ROLE);
  });

  it('ignores failed calls, malformed JSON and records without a role', () => {
    expect(parseAssumeEvent(record({ errorCode: 'AccessDenied' }))).toBeUndefined();
    expect(parseAssumeEvent('{not json')).toBeUndefined();
    expect(parseAssumeEvent(undefined)).toBeUndefined();
    expect(parseAssumeEvent(record({ requestParameters: {}, resources: [] }))).toBeUndefined();
  });
});

describe('aggregateAssumeEvents', () => {
  const base = parseAssumeEvent(record({}))!;
  it('counts per role, event and caller, with first/last seen, MFA and regions', () => {
    const events = [
      { ...base, eventId: 'a', eventTime: '2026-11-01T00:00:00.000Z', region: 'us-east-1', mfa: true },
      { ...base, eventId: 'b', eventTime: '2026-11-10T00:00:00.000Z', region: 'eu-west-1' },
      { ...base, eventId: 'c', eventTime: '2026-11-05T00:00:00.000Z', callerAccountId: '333333333333', callerArn: 'arn:aws:iam::333333333333:root' },
      { ...base, eventId: 'b', eventTime: '2026-11-10T00:00:00.000Z', region: 'eu-west-1' },
    ];
    const agg = aggregateAssumeEvents(events, '111111111111');
    expect(agg).toHaveLength(2);
    expect(agg[0]).toMatchObject({
      roleArn: ROLE,
      callerAccountId: '222222222222',
      count: 2,
      mfaCount: 1,
      firstSeen: '2026-11-01T00:00:00.000Z',
      lastSeen: '2026-11-10T00:00:00.000Z',
      regions: ['eu-west-1', 'us-east-1'],
    });
    expect(agg[1]).toMatchObject({ callerAccountId: '333333333333', count: 1 });
  });

  it("drops the caller account's copy of assumptions into other accounts' roles", () => {
    const other = { ...base, roleArn: 'arn:aws:iam::999999999999:role/x' };
    expect(aggregateAssumeEvents([other], '111111111111')).toEqual([]);
  });

  it('reads the account out of IAM and STS ARNs across partitions', () => {
    expect(accountOfArn('arn:aws-us-gov:iam::123456789012:role/a')).toBe('123456789012');
    expect(accountOfArn('arn:aws:sts::123456789012:assumed-role/a/b')).toBe('123456789012');
    expect(accountOfArn('123456789012')).toBeUndefined();
  });
});

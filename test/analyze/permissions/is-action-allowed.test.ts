import { describe, expect, it } from 'vitest';
import { createPermissionEvaluator, isActionAllowed } from '../../../src/analyze/permissions/index.js';
import { fixtureCatalog } from './fixture-catalog.js';
import { ADMINISTRATOR_ACCESS, DENY_IAM, LAMBDA_DEPLOYER, POWER_USER_ACCESS, inline, managed } from './policies.js';

const ROLE = 'arn:aws:iam::222233334444:role/OrganizationAccountAccessRole';

describe('isActionAllowed', () => {
  it('allows what AdministratorAccess allows, unconditionally', () => {
    expect(isActionAllowed([ADMINISTRATOR_ACCESS], 'sts:AssumeRole', ROLE, fixtureCatalog)).toEqual({
      allowed: true,
      conditional: false,
    });
  });

  it('lets an explicit Deny win', () => {
    expect(isActionAllowed([ADMINISTRATOR_ACCESS, DENY_IAM], 'iam:PassRole', ROLE, fixtureCatalog)).toEqual({
      allowed: false,
      conditional: false,
    });
    expect(isActionAllowed([ADMINISTRATOR_ACCESS, DENY_IAM], 'sts:AssumeRole', ROLE, fixtureCatalog).allowed).toBe(true);
  });

  it('compares action names case-insensitively and ARNs case-sensitively', () => {
    const policy = inline('assume', {
      Statement: { Effect: 'Allow', Action: 'STS:assumerole', Resource: 'arn:aws:iam::*:role/Deploy*' },
    });
    expect(isActionAllowed([policy], 'sts:AssumeRole', 'arn:aws:iam::1:role/DeployProd', fixtureCatalog).allowed).toBe(true);
    expect(isActionAllowed([policy], 'Sts:AssumeROLE', 'arn:aws:iam::1:role/DeployProd', fixtureCatalog).allowed).toBe(true);
    expect(isActionAllowed([policy], 'sts:AssumeRole', 'arn:aws:iam::1:role/deployprod', fixtureCatalog).allowed).toBe(false);
  });

  it('treats NotAction as every other action', () => {
    expect(isActionAllowed([POWER_USER_ACCESS], 'iam:PassRole', ROLE, fixtureCatalog).allowed).toBe(false);
    expect(isActionAllowed([POWER_USER_ACCESS], 'iam:ListRoles', '*', fixtureCatalog).allowed).toBe(true);
    expect(isActionAllowed([POWER_USER_ACCESS], 'sts:AssumeRole', ROLE, fixtureCatalog).allowed).toBe(true);
  });

  it('honours NotResource', () => {
    const policy = inline('all-but-audit', {
      Statement: { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::audit-logs/*' },
    });
    expect(isActionAllowed([policy], 's3:GetObject', 'arn:aws:s3:::audit-logs/2026/11/25.json', fixtureCatalog).allowed).toBe(false);
    expect(isActionAllowed([policy], 's3:GetObject', 'arn:aws:s3:::app-data/report.csv', fixtureCatalog).allowed).toBe(true);
  });

  it('marks an Allow with a Condition as conditional, not as denied', () => {
    const policy = inline('office-only', {
      Statement: {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
    });
    expect(isActionAllowed([policy], 'sts:AssumeRole', ROLE, fixtureCatalog)).toEqual({ allowed: true, conditional: true });
  });

  it('marks an unconditional Allow under a conditional Deny as conditional', () => {
    const deny = inline('deny-outside-org', {
      Statement: {
        Effect: 'Deny',
        Action: 'sts:AssumeRole',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } },
      },
    });
    expect(isActionAllowed([ADMINISTRATOR_ACCESS, deny], 'sts:AssumeRole', ROLE, fixtureCatalog)).toEqual({
      allowed: true,
      conditional: true,
    });
  });

  it('treats policy variables in Resource as conditional', () => {
    const policy = inline('own-home', {
      Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/*' },
    });
    expect(isActionAllowed([policy], 's3:GetObject', 'arn:aws:s3:::home/alice/notes.txt', fixtureCatalog)).toEqual({
      allowed: true,
      conditional: true,
    });
  });

  it('intersects with a permissions boundary', () => {
    const boundary = managed('DeveloperBoundary', {
      Statement: [{ Effect: 'Allow', Action: ['s3:*', 'lambda:*'], Resource: '*' }],
    });
    expect(isActionAllowed([ADMINISTRATOR_ACCESS], 'sts:AssumeRole', ROLE, fixtureCatalog, boundary).allowed).toBe(false);
    expect(
      isActionAllowed([ADMINISTRATOR_ACCESS], 'lambda:InvokeFunction', 'arn:aws:lambda:eu-west-1:1:function:f', fixtureCatalog, boundary)
        .allowed,
    ).toBe(true);
  });

  it('asks about at least one matching resource when given a pattern', () => {
    expect(isActionAllowed([LAMBDA_DEPLOYER], 'iam:PassRole', 'arn:aws:iam::*:role/*', fixtureCatalog)).toEqual({
      allowed: true,
      conditional: true,
    });
    expect(isActionAllowed([LAMBDA_DEPLOYER], 'iam:PassRole', 'arn:aws:iam::*:role/admin', fixtureCatalog).allowed).toBe(false);
  });
});

describe('createPermissionEvaluator', () => {
  it('explains a decision with the statements behind it', () => {
    const evaluator = createPermissionEvaluator([ADMINISTRATOR_ACCESS, DENY_IAM], fixtureCatalog);
    expect(evaluator.explain('iam:PassRole', ROLE)).toEqual({
      allowed: false,
      conditional: false,
      allowedBy: [],
      deniedBy: [
        { policy: 'deny-iam', statement: 0, effect: 'Deny', conditions: {}, fromBoundary: false },
      ],
      resources: [],
    });
  });

  it('evaluates the conditions it is given context for', () => {
    const evaluator = createPermissionEvaluator([LAMBDA_DEPLOYER], fixtureCatalog);
    const role = 'arn:aws:iam::111122223333:role/lambda-basic-orders';
    expect(evaluator.isAllowed('iam:PassRole', role, { 'iam:PassedToService': 'lambda.amazonaws.com' })).toEqual({
      allowed: true,
      conditional: false,
    });
    expect(evaluator.isAllowed('iam:PassRole', role, { 'iam:PassedToService': 'ec2.amazonaws.com' }).allowed).toBe(false);
    expect(evaluator.isAllowed('iam:PassRole', role)).toEqual({ allowed: true, conditional: true });
  });
});

describe('keys known at review time', () => {
  it('an sts:AssumeRole allowed only until 2020 is not allowed at review time; one allowed since 2020 is, unconditionally', () => {
    const now = new Date('2026-12-06T09:00:00.000Z');
    const timed = (operator: string) =>
      createPermissionEvaluator(
        [inline('assume', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { [operator]: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }] })],
        fixtureCatalog,
        undefined,
        { now },
      ).isAllowed('sts:AssumeRole', 'arn:aws:iam::111122223333:role/admin');
    expect(timed('DateLessThan')).toEqual({ allowed: false, conditional: false });
    expect(timed('DateGreaterThan')).toEqual({ allowed: true, conditional: false });
  });
});

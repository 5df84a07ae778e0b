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
    const config = resolveConfig(configMapJson(read('k8s/base/configmap.yaml')), {});
    expect(config.scope.mode).toBe('organization');
    expect(config.email?.to).toEqual(['security-leads@example.com']);
  });

  it('the ECS task definition environment is a valid configuration', () => {
    const task = JSON.parse(read('docs/ecs/task-definition.json')) as { containerDefinitions: { environment?: { name: string; value: string }[] }[] };
    const env = Object.fromEntries((task.containerDefinitions[0]?.environment ?? []).map((e) => [e.name, e.value]));
    const config = resolveConfig(undefined, env);
    expect(config.archive.bucket).toBe('example-access-review-archive');
    expect(config.email).toMatchObject({ from: 'access-review@example.com', to: ['security-leads@example.com', 'ciso@example.com'] });
  });
});

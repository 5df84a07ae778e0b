/**
 * The Kubernetes manifests as a user applies them: every kustomization rendered with the real kubectl, and
 * each object checked against the Kubernetes schemas offline, twice — kubernetes-models' validators (types,
 * required fields, enumerations, formats) and the TypeScript compiler over the same objects typed as the
 * models' interfaces, which rejects unknown fields (a misspelt `backoffLimitPerIndx` would pass the first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { resolveConfig } from '../../src/config/load-config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KUSTOMIZATIONS = ['k8s', 'k8s/base', 'k8s/overlays/sharded', 'k8s/overlays/preflight'];

const MODELS = {
  'batch/v1/CronJob': { model: CronJob, iface: 'ICronJob', from: 'kubernetes-models/batch/v1/CronJob' },
  'batch/v1/Job': { model: Job, iface: 'IJob', from: 'kubernetes-models/batch/v1/Job' },
  'v1/ConfigMap': { model: ConfigMap, iface: 'IConfigMap', from: 'kubernetes-models/v1/ConfigMap' },
  'v1/ServiceAccount': { model: ServiceAccount, iface: 'IServiceAccount', from: 'kubernetes-models/v1/ServiceAccount' },
} as const;
type Kind = keyof typeof MODELS;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  automountServiceAccountToken?: boolean;
}

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const haveKubectl = kubectl.status === 0;
if (!haveKubectl) {
  // The project's machines ship kubectl; say plainly why these tests did not run elsewhere.
  process.stderr.write('k8s-kustomize.test: kubectl is not installed, so the kustomizations were not rendered (install kubectl >= 1.27)\n');
}

function render(dir: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', path.join(ROOT, dir)], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS() as K8sObject);
}

const podSpec = (o: K8sObject): Record<string, unknown> => {
  const jobSpec = o.kind === 'CronJob' ? ((o.spec?.jobTemplate as { spec: Record<string, unknown> }).spec) : (o.spec as Record<string, unknown>);
  return (jobSpec.template as { spec: Record<string, unknown> }).spec;
};
const jobSpecOf = (o: K8sObject): Record<string, unknown> => (o.kind === 'CronJob' ? (o.spec?.jobTemplate as { spec: Record<string, unknown> }).spec : (o.spec as Record<string, unknown>));

describe.skipIf(!haveKubectl)('Kubernetes manifests (kubectl kustomize, validated offline)', () => {
  const rendered = Object.fromEntries(KUSTOMIZATIONS.map((d) => [d, render(d)])) as Record<string, K8sObject[]>;

  it('every kustomization renders, and every object is valid against the Kubernetes schemas', () => {
    for (const [dir, objects] of Object.entries(rendered)) {
      expect(objects.length, dir).toBeGreaterThan(0);
      for (const o of objects) {
        const entry = MODELS[`${o.apiVersion}/${o.kind}` as Kind];
        expect(entry, `${dir}: ${o.apiVersion} ${o.kind} has no schema here`).toBeDefined();
        expect(() => new entry.model(o as never).validate(), `${dir}: ${o.kind}/${o.metadata.name}`).not.toThrow();
      }
    }
  });

  it('no object carries a field the Kubernetes API does not define (TypeScript excess-property check)', () => {
    const dir = path.join(ROOT, 'node_modules/.cache/access-review-k8s');
    mkdirSync(dir, { recursive: true });
    const imports = Object.values(MODELS).map((m) => `import type { ${m.iface} } from '${m.from}';`);
    const decls = Object.entries(rendered).flatMap(([d, objects]) =>
      objects.map((o, i) => `// ${d}\nexport const o_${d.replace(/\W/g, '_')}_${i}: ${MODELS[`${o.apiVersion}/${o.kind}` as Kind].iface} = ${JSON.stringify(o)};`),
    );
    const file = path.join(dir, 'manifests.ts');
    writeFileSync(file, `${imports.join('\n')}\n${decls.join('\n')}\n`);
    const compilerOptions = { noEmit: true, strict: true, skipLibCheck: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [] };
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['manifests.ts'] }));
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
    expect(tsc.status).toBe(0);
  }, 180_000);

  it('no pod mounts the Kubernetes API token; IRSA and Pod Identity bring their own', () => {
    for (const [dir, objects] of Object.entries(rendered)) {
      for (const o of objects.filter((x) => x.kind === 'CronJob' || x.kind === 'Job')) expect(podSpec(o).automountServiceAccountToken, `${dir}: ${o.kind}`).toBe(false);
      for (const o of objects.filter((x) => x.kind === 'ServiceAccount')) expect(o.automountServiceAccountToken).toBe(false);
    }
  });

  it('the sharded overlay retries per index and fails at once on a configuration error (exit 2)', () => {
    const [cron] = rendered['k8s/overlays/sharded']!.filter((o) => o.kind === 'CronJob');
    const job = jobSpecOf(cron!);
    expect(job).toMatchObject({ completionMode: 'Indexed', completions: 8, parallelism: 8, backoffLimitPerIndex: 2 });
    expect(job.backoffLimit).toBeUndefined();
    expect((job.podFailurePolicy as { rules: unknown[] }).rules).toContainEqual({ action: 'FailJob', onExitCodes: { containerName: 'access-review', operator: 'In', values: [2] } });
    // Same name as the base's CronJob: applying the overlay replaces the single-pod review.
    expect(cron!.metadata.name).toBe(rendered['k8s/base']!.find((o) => o.kind === 'CronJob')!.metadata.name);
    const env = Object.fromEntries(((podSpec(cron!).containers as { env: { name: string; value?: string }[] }[])[0]?.env ?? []).map((e) => [e.name, e.value]));
    expect(env.ACCESS_REVIEW_SHARD_COUNT).toBe(String(job.completions));
    const configMap = rendered['k8s/overlays/sharded']!.find((o) => o.kind === 'ConfigMap')!;
    const file = JSON.parse(configMap.data!['config.json']!) as unknown;
    for (let index = 0; index < 8; index++) {
      const config = resolveConfig(file, { ...env, JOB_COMPLETION_INDEX: String(index), ACCESS_REVIEW_RUN_GROUP: 'access-review-29384756' } as NodeJS.ProcessEnv);
      expect(config.scope.shard).toEqual({ index, count: 8 });
    }
  });

  it('the preflight is a hook-style Job with the CronJob\'s image, config and service account', () => {
    const [job] = rendered['k8s/overlays/preflight']!;
    const [cron] = rendered['k8s/base']!.filter((o) => o.kind === 'CronJob');
    expect(job?.kind).toBe('Job');
    expect(job?.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', 'kustomize.toolkit.fluxcd.io/force': 'enabled' });
    const container = (o: K8sObject) => (podSpec(o).containers as { image: string; args: string[] }[])[0]!;
    expect(container(job!).args).toEqual(['check', '--config', '/etc/access-review/config.json']);
    expect(container(job!).image).toBe(container(cron!).image);
    expect(container(cron!).image).toMatch(/^ghcr\.io\/example\/access-review:\d+\.\d+\.\d+$/);
    expect(podSpec(job!).serviceAccountName).toBe(podSpec(cron!).serviceAccountName);
    expect(podSpec(job!).volumes).toContainEqual({ name: 'config', configMap: { name: 'access-review-config' } });
  });

  it('`kubectl kustomize k8s` is the base, and its ConfigMap holds a valid configuration', () => {
    expect(rendered.k8s).toEqual(rendered['k8s/base']);
    const configMap = rendered.k8s!.find((o) => o.kind === 'ConfigMap')!;
    const config = resolveConfig(JSON.parse(configMap.data!['config.json']!), {});
    expect(config.scope.mode).toBe('organization');
  });
});

/**
 * The container image as the Dockerfile builds it (no Docker daemon here, so from the Dockerfile and the
 * lockfile that `npm ci --omit=dev` installs from): no build-only package in the runtime stage, and the OCI
 * labels registries and scanners read.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string): string => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; license: string; devDependencies: Record<string, string> };
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean; version?: string }> };
const dockerfile = read('Dockerfile');
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

describe('container image', () => {
  it('installs runtime dependencies only, and the lock keeps every build-only package out of them', () => {
    expect(runtimeStage).toMatch(/RUN npm ci --omit=dev --ignore-scripts/);
    expect(runtimeStage).toContain('COPY --from=build /app/dist ./dist');
    expect(runtimeStage).not.toMatch(/COPY (src|tsconfig)/);
    const installedAtRuntime = Object.entries(lock.packages).filter(([k, v]) => k.startsWith('node_modules/') && v.dev !== true).map(([k]) => k.slice('node_modules/'.length));
    // Type declarations are the exception: a runtime package may list them as its own dependencies
    // (puppeteer-core -> extract-zip -> @types/yauzl -> @types/node); they are a few hundred KB of .d.ts.
    for (const dev of Object.keys(pkg.devDependencies).filter((d) => !d.startsWith('@types/'))) expect(installedAtRuntime, dev).not.toContain(dev);
    // TypeScript 7's compiler lives in per-platform @typescript/* packages (about 30 MB).
    expect(installedAtRuntime.filter((n) => n === 'typescript' || n.startsWith('@typescript/') || n.includes('/node_modules/typescript'))).toEqual([]);
  });

  it('carries the OCI labels: source, version (the package version) and license', () => {
    const label = (key: string): string | undefined => new RegExp(`org\\.opencontainers\\.image\\.${key}="([^"]*)"`).exec(runtimeStage)?.[1];
    expect(label('source')).toMatch(/^https:\/\//);
    expect(label('version')).toBe('${VERSION}');
    expect(/ARG VERSION=(\S+)/.exec(runtimeStage)?.[1]).toBe(pkg.version);
    expect(label('licenses')).toBe(pkg.license);
    expect(runtimeStage).toMatch(/^USER node$/m);
  });
});

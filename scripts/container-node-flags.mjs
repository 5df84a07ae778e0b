// The V8 flags the container starts Node with (the Dockerfile's ENTRYPOINT, between `node` and the
// script), so the benchmarks measure the process the deployments run rather than a bare `node`.
import { readFileSync } from 'node:fs';

/** The node flags of a Dockerfile's exec-form ENTRYPOINT. */
export function nodeFlagsOf(dockerfile) {
  const line = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  if (!line) throw new Error('the Dockerfile has no exec-form ENTRYPOINT');
  const argv = JSON.parse(line);
  const node = argv.indexOf('node');
  const script = argv.findIndex((a, i) => i > node && !a.startsWith('-'));
  if (node < 0 || script < 0) throw new Error(`the ENTRYPOINT does not start node with a script: ${line}`);
  return argv.slice(node + 1, script);
}

export function containerNodeFlags() {
  return nodeFlagsOf(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'));
}

// Imported first by every benchmark: run directly on an unsupported Node (`node scripts/bench-scale.mjs` on a
// machine whose system Node is 20), a benchmark would measure a Node the container does not ship — Node 26's
// collector peaks ~70 MiB above Node 20's — and only the summary's `node` field would say so. Instead the
// script starts again on a supported Node, as `npm run bench:*` does, and this process waits for it: the
// top-level await below holds back the importing script's own body until the child has exited.
import { isSupported, runOnSupportedNode } from './supported-node.mjs';

if (!isSupported()) {
  runOnSupportedNode(process.argv[1], process.argv.slice(2));
  await new Promise(() => {});
}

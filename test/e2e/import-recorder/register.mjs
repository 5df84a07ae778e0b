// Loaded with `node --import`: records every module the process resolves, one URL a line, in $IMPORT_LOG.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);

// node --import this file: the process runs as if @duckdb/node-api were not installed.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);

/**
 * Stops the child processes a test started when the test ends, whatever its outcome, and those a file's
 * hooks started when the file ends: one slow or failed test must not leave a CLI (or its Chromium) running
 * into the next one.
 */
import { afterAll, afterEach, beforeEach } from 'vitest';
import { childMark, stopChildren } from '../e2e/cli-process.js';

let mark = Number.POSITIVE_INFINITY;

beforeEach(() => {
  mark = childMark();
});

afterEach(async () => {
  await stopChildren({ since: mark });
  mark = Number.POSITIVE_INFINITY;
});

afterAll(async () => {
  await stopChildren();
});

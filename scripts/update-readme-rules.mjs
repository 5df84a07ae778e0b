#!/usr/bin/env node
// Regenerates the README's rule catalogue from the rules' own metadata (dist/), so the two never drift;
// test/docs checks they agree.
import { readFileSync, writeFileSync } from 'node:fs';

const { rulesMarkdown } = await import('../dist/analyze/rules/index.js');
const readme = readFileSync('README.md', 'utf8');
const start = '<!-- rules:start -->';
const end = '<!-- rules:end -->';
const i = readme.indexOf(start);
const j = readme.indexOf(end);
if (i < 0 || j < i) throw new Error('README.md lacks the rules markers');
const next = `${readme.slice(0, i + start.length)}\n${rulesMarkdown().trim()}\n${readme.slice(j)}`;
writeFileSync('README.md', next);
console.log(next === readme ? 'README rules already up to date' : 'README rules updated');

import { ruleCatalogue, rulesMarkdown } from '../analyze/rules/index.js';

export function rulesCommand(format: 'text' | 'json' | 'markdown'): string {
  const rules = ruleCatalogue();
  if (format === 'json') return `${JSON.stringify(rules, null, 2)}\n`;
  if (format === 'markdown') return rulesMarkdown();
  return rules.map((r) => `${r.id}  [${r.severity}]  ${r.title}\n    why: ${r.rationale}\n    fix: ${r.remediation}\n`).join('\n');
}

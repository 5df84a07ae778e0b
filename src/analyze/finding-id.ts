/** Stable finding ids: the same rule, resource and subject give the same id in every run. */
import { createHash } from 'node:crypto';

export function findingId(ruleId: string, resource: string, subject: string): string {
  return createHash('sha256').update(`${ruleId}\n${resource}\n${subject}`).digest('hex').slice(0, 16);
}

/** One file per right-sized policy draft (policies/<account>/<role>.json): the IAM JSON alone, ready to review. */
import type { Review } from '../model/review.js';

const utf8 = new TextEncoder();

export function policyDraftArtifacts(review: Review): { name: string; contentType: string; body: Uint8Array }[] {
  const out: { name: string; contentType: string; body: Uint8Array }[] = [];
  const seen = new Set<string>();
  for (const account of review.accounts) {
    for (const role of account.roles) {
      const draft = role.leastPrivilege?.draft;
      if (!draft || seen.has(draft.file)) continue;
      seen.add(draft.file);
      out.push({ name: draft.file, contentType: 'application/json', body: utf8.encode(`${JSON.stringify(draft.document, null, 2)}\n`) });
    }
  }
  return out;
}

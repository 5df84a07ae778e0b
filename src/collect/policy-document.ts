import type { PolicyDocumentField } from '../model/snapshot.js';

/**
 * IAM returns policy documents as URL-encoded JSON. A document that cannot be decoded is kept raw with
 * the reason, so the role still appears in the report with the gap marked.
 */
export function decodePolicyDocument(raw: string | undefined): PolicyDocumentField {
  if (raw === undefined || raw === '') return { ok: false, raw: '', error: 'IAM returned no policy document' };
  let text = raw;
  try {
    // Only decode when it looks encoded: a literal "%" inside already-decoded JSON must survive.
    if (!raw.trimStart().startsWith('{')) text = decodeURIComponent(raw);
  } catch (e) {
    return { ok: false, raw, error: `not URL-decodable: ${(e as Error).message}` };
  }
  try {
    const document: unknown = JSON.parse(text);
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      return { ok: false, raw: text, error: 'policy document is not a JSON object' };
    }
    return { ok: true, document };
  } catch (e) {
    return { ok: false, raw: text, error: `not valid JSON: ${(e as Error).message}` };
  }
}

/**
 * How policy documents look as text. IAM keeps a document exactly as it was submitted — console-made ones
 * are tab-indented, CLI/IaC ones compact or space-indented, AWS managed ones four-space-indented — and
 * returns it URL-encoded (RFC 3986). Varying the text lets the product's decoder meet the real variety.
 */
import type { Json, PolicyDocumentTruth } from './org-types.js';

export type JsonStyle = 'compact' | 'spaces2' | 'spaces4' | 'tabs';

export function policyText(document: Json, style: JsonStyle): string {
  switch (style) {
    case 'compact':
      return JSON.stringify(document);
    case 'spaces2':
      return JSON.stringify(document, null, 2);
    case 'spaces4':
      return JSON.stringify(document, null, 4);
    case 'tabs':
      return JSON.stringify(document, null, '\t');
  }
}

export function policyTruth(document: Json, style: JsonStyle): PolicyDocumentTruth {
  return { document, text: policyText(document, style) };
}

/**
 * RFC 3986 percent-encoding as IAM applies it to documents: everything but unreserved characters
 * (A-Z a-z 0-9 - . _ ~) is escaped, so `*`, `(`, `)` and `'` come back as %2A, %28, %29 and %27.
 */
export function rfc3986Encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

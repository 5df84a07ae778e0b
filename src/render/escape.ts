/**
 * Escaping for text we place into markup ourselves (SVG charts, badges), outside Handlebars' own `{{ }}`.
 * Covers the five characters that matter in element content and in quoted attributes alike.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeMarkup(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

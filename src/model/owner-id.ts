/**
 * An owner's path-safe id from the name a person or a tag gives it. Tag values and config names meet
 * through it, so "Payments", "payments" and "PAYMENTS " are one owner, and "Security Engineering" is the
 * tag value "security-engineering".
 */
export const UNASSIGNED_ID = 'unassigned';

export function ownerId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  // A name of only symbols or another script still needs a stable, distinct id.
  if (slug === '') return `owner-${fnv1a(name).toString(36)}`;
  return slug === UNASSIGNED_ID ? `owner-${UNASSIGNED_ID}` : slug;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

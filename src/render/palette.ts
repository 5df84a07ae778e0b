import type { PrincipalClass, Severity } from '../model/review.js';

/**
 * One palette for the charts (SVG fills) and the stylesheet's badges, so a severity has the same colour on
 * the chart and in the tables. Muted tones: a report full of saturated red reads as noise, not urgency.
 */
export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#8e1b1b',
  high: '#c2410c',
  medium: '#b7791f',
  low: '#2f6690',
  info: '#7b8794',
};

export const PRINCIPAL_CLASS_COLORS: Record<PrincipalClass, string> = {
  public: '#8e1b1b',
  external: '#c2410c',
  'known-vendor': '#b7791f',
  'org-account': '#2c7a7b',
  'same-account': '#2f6690',
  service: '#5a7d9a',
  'federated-oidc': '#6b46c1',
  'federated-saml': '#9f7aea',
  deleted: '#8d6e63',
  unknown: '#a0aec0',
};

export const NEUTRAL = {
  text: '#1f2933',
  muted: '#616e7c',
  rule: '#d9e2ec',
  track: '#f0f4f8',
};

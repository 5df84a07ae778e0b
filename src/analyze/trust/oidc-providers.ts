/**
 * OIDC issuers as they appear in trust policies. Whether an issuer is multi-tenant decides how bad a missing
 * `sub` restriction is: GitHub's issuer signs tokens for every repository on github.com, while an EKS
 * cluster's issuer signs only that cluster's service accounts.
 */

export interface OidcIssuer {
  /** Issuer host and path as IAM keys it, e.g. "token.actions.githubusercontent.com". */
  host: string;
  name: string;
  /** Anyone can obtain a token from this issuer (their own repository, project or app). */
  multiTenant: boolean;
  /**
   * Someone other than the organization and AWS mints the tokens (a CI provider, an identity provider,
   * end users through Cognito). An EKS cluster's issuer is the organization's own.
   */
  thirdParty: boolean;
  /**
   * Claim prefixes of `sub` that name only the claim type: a pattern must pin what comes after them
   * (the owner, group, namespace or organization) to restrict anything.
   */
  subjectPrefixes: string[];
  /** The condition key suffix that restricts who may assume (sub, except Cognito where aud is the pool). */
  restrictingClaim: 'sub' | 'aud';
}

const WELL_KNOWN: readonly OidcIssuer[] = [
  {
    host: 'token.actions.githubusercontent.com',
    name: 'GitHub Actions',
    multiTenant: true,
    thirdParty: true,
    subjectPrefixes: ['repo:'],
    restrictingClaim: 'sub',
  },
  { host: 'gitlab.com', name: 'GitLab CI', multiTenant: true, thirdParty: true, subjectPrefixes: ['project_path:'], restrictingClaim: 'sub' },
  {
    host: 'app.terraform.io',
    name: 'HCP Terraform',
    multiTenant: true,
    thirdParty: true,
    subjectPrefixes: ['organization:'],
    restrictingClaim: 'sub',
  },
  {
    host: 'cognito-identity.amazonaws.com',
    name: 'Amazon Cognito identity pools',
    multiTenant: true,
    thirdParty: true,
    subjectPrefixes: [],
    restrictingClaim: 'aud',
  },
  { host: 'accounts.google.com', name: 'Google', multiTenant: true, thirdParty: true, subjectPrefixes: [], restrictingClaim: 'sub' },
  { host: 'graph.facebook.com', name: 'Facebook', multiTenant: true, thirdParty: true, subjectPrefixes: [], restrictingClaim: 'sub' },
  { host: 'www.amazon.com', name: 'Login with Amazon', multiTenant: true, thirdParty: true, subjectPrefixes: [], restrictingClaim: 'sub' },
];

export function oidcIssuer(host: string): OidcIssuer {
  const lower = host.toLowerCase();
  const known = WELL_KNOWN.find((issuer) => issuer.host === lower);
  if (known) return known;
  if (/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\//.test(lower)) {
    return { host, name: 'Amazon EKS cluster', multiTenant: false, thirdParty: false, subjectPrefixes: ['system:serviceaccount:'], restrictingClaim: 'sub' };
  }
  if (lower.startsWith('token.actions.githubusercontent.com/')) {
    // GitHub Enterprise Cloud's per-enterprise issuer: only that enterprise's repositories.
    return { host, name: 'GitHub Actions (enterprise issuer)', multiTenant: false, thirdParty: true, subjectPrefixes: ['repo:'], restrictingClaim: 'sub' };
  }
  if (lower.startsWith('oidc.circleci.com/org/')) {
    return { host, name: 'CircleCI', multiTenant: false, thirdParty: true, subjectPrefixes: ['org/'], restrictingClaim: 'sub' };
  }
  if (lower.startsWith('api.bitbucket.org/')) {
    return { host, name: 'Bitbucket Pipelines', multiTenant: false, thirdParty: true, subjectPrefixes: [], restrictingClaim: 'sub' };
  }
  return { host, name: host, multiTenant: false, thirdParty: true, subjectPrefixes: ['project_path:', 'repo:'], restrictingClaim: 'sub' };
}

/**
 * Federated principals that are web-identity issuers by name rather than by an IAM OIDC provider ARN
 * (the built-in providers STS trusts without one).
 */
const NAMED_PROVIDERS: ReadonlySet<string> = new Set([
  'cognito-identity.amazonaws.com',
  'accounts.google.com',
  'graph.facebook.com',
  'www.amazon.com',
]);

export function isNamedWebIdentityProvider(value: string): boolean {
  return NAMED_PROVIDERS.has(value.toLowerCase());
}

/** Public documentation the rules cite. */
export const REF = {
  bestPractices: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
  confusedDeputy: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
  externalId: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html',
  principalElement: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
  conditionKeys: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
  conditionOperators: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  oidcRole: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html',
  githubOidc:
    'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
  samlRole: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html',
  mfaApi: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html',
  lastAccessed: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html',
  analyzerFindings: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html',
  analyzerUnused: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-unused.html',
  cloudtrailHistory: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html',
  privilegeEscalation: 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
  roleChaining: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html',
} as const;

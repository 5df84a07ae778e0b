/**
 * Third-party vendors whose AWS account ids are published by the vendor (or listed with a source in the
 * community list fwdcloudsec/known_aws_accounts). The synthetic organization trusts some of them the way
 * real customers do, so a reviewer can be tested on telling a known vendor from an unknown account.
 */
export interface KnownVendor {
  name: string;
  accountId: string;
  /** Where the id is published. */
  source: string;
  /** Whether the vendor's documented setup uses sts:ExternalId (all of these do). */
  usesExternalId: boolean;
}

export const KNOWN_VENDORS: readonly KnownVendor[] = [
  {
    name: 'Datadog',
    accountId: '464622532012',
    source: 'https://docs.datadoghq.com/integrations/guide/aws-manual-setup/',
    usesExternalId: true,
  },
  {
    name: 'New Relic',
    accountId: '754728514883',
    source: 'https://docs.newrelic.com/docs/integrations/amazon-integrations/get-started/connect-aws-services-infrastructure',
    usesExternalId: true,
  },
  {
    name: 'Dynatrace',
    accountId: '509560245411',
    source: 'https://help.dynatrace.com/monitor-cloud-virtualization-and-hosts/cloud/how-do-i-start-amazon-web-services-monitoring/',
    usesExternalId: true,
  },
  {
    name: 'Lacework',
    accountId: '434813966438',
    source: 'https://support.lacework.com/hc/en-us/articles/360017546933-Getting-Started',
    usesExternalId: true,
  },
  {
    name: 'Sumo Logic',
    accountId: '926226587429',
    source: 'https://help.sumologic.com/03Send-Data/Sources/02Sources-for-Hosted-Collectors/Amazon-Web-Services/Grant-Access-to-an-AWS-Product',
    usesExternalId: true,
  },
  {
    name: 'Prisma Cloud (RedLock)',
    accountId: '188619942792',
    source: 'https://docs.paloaltonetworks.com/prisma/prisma-cloud/prisma-cloud-admin/connect-your-cloud-platform-to-prisma-cloud/onboard-aws/manually-set-up-prisma-cloud-role-for-aws',
    usesExternalId: true,
  },
  {
    name: 'Vanta',
    accountId: '956993596390',
    source: 'https://help.vanta.com/hc/en-us/articles/8451925240980-Connecting-Vanta-AWS-Organization',
    usesExternalId: true,
  },
  {
    name: 'CrowdStrike',
    accountId: '292230061137',
    source: 'https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-partner-providers.html',
    usesExternalId: true,
  },
  {
    name: 'Orca Security',
    accountId: '976280145156',
    source: 'https://orcasecurity.force.com/s/article/Orca-Scanner-Accounts-for-AWS-Trusted-Entities',
    usesExternalId: true,
  },
  {
    name: 'Check Point CloudGuard',
    accountId: '634729597623',
    source: 'https://supportcenter.checkpoint.com/supportcenter/portal?eventSubmit_doGoviewsolutiondetails=&solutionid=sk159912',
    usesExternalId: true,
  },
  {
    name: 'Cloudability',
    accountId: '165736516723',
    source: 'https://developers.cloudability.com/docs/vendor-credentials-end-point',
    usesExternalId: true,
  },
];

export function vendorByAccount(accountId: string): KnownVendor | undefined {
  return KNOWN_VENDORS.find((v) => v.accountId === accountId);
}

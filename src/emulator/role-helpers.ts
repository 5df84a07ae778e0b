/** Small builders shared by the role archetypes: statements, trust documents, callers, client fingerprints. */
import type { Json } from './org-types.js';
import type { AwsIdentity, CallerSpec, RoleSpec } from './role-spec.js';

export const POLICY_VERSION = '2012-10-17';

export function allow(principal: Json, action: Json = 'sts:AssumeRole', condition?: Json): Json {
  return condition === undefined
    ? { Effect: 'Allow', Principal: principal, Action: action }
    : { Effect: 'Allow', Principal: principal, Action: action, Condition: condition };
}

export function trustDoc(...statements: Json[]): Json {
  return { Version: POLICY_VERSION, Statement: statements };
}

type SpecInput = Pick<RoleSpec, 'archetype' | 'name' | 'trust'> & Partial<RoleSpec>;

export function roleSpec(input: SpecInput): RoleSpec {
  return {
    path: '/',
    trustStyle: 'spaces4',
    attached: [],
    customerPolicies: [],
    inline: [],
    tags: [],
    usage: 'regular',
    serviceLinked: false,
    instanceProfile: false,
    maxSessionDuration: 3600,
    callers: [],
    ...input,
  };
}

export function serviceCaller(service: string, weight = 1): CallerSpec {
  return { kind: 'service', service, weight };
}

export function awsCaller(identity: AwsIdentity, weight = 1, extra: Partial<Extract<CallerSpec, { kind: 'aws' }>> = {}): CallerSpec {
  return { kind: 'aws', identity, weight, ...extra };
}

/** Client fingerprints as they appear in CloudTrail's userAgent field. */
export const UA = {
  cli: 'aws-cli/2.17.12 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.97-104.177.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2023 md/prompt#off md/command#sts.assume-role',
  cliMac: 'aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/sts.assume-role',
  sdkJs: 'aws-sdk-js/3.614.0 ua/2.0 os/linux#5.10.219-208.866.amzn2.x86_64 lang/js md/nodejs#20.15.1 api/sts#3.614.0',
  terraform:
    'APN/1.0 HashiCorp/1.0 Terraform/1.8.5 (+https://www.terraform.io) terraform-provider-aws/5.57.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.1 ua/2.0 os/linux lang/go#1.22.4 md/GOOS#linux md/GOARCH#amd64 api/sts#1.30.1',
  goSdk: 'aws-sdk-go/1.54.19 (go1.22.5; linux; amd64)',
  goSdkV2: 'aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/sts#1.30.3',
  boto3: 'Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.219 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144',
  githubActions: 'configure-aws-credentials-for-github-actions',
  browser:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
} as const;

/** Documentation address ranges (RFC 5737), so no real host is ever named. */
export const IPS = {
  corporate: ['203.0.113.10', '203.0.113.11', '203.0.113.25'],
  vendor: ['198.51.100.21', '198.51.100.22', '198.51.100.87'],
  unknown: ['192.0.2.44', '192.0.2.190'],
  ciRunners: ['198.51.100.140', '198.51.100.141', '198.51.100.142', '198.51.100.143'],
  eksNat: ['203.0.113.70', '203.0.113.71'],
} as const;

export const GITHUB_ISSUER = 'token.actions.githubusercontent.com';
export const SAML_AUDIENCE = 'https://signin.aws.amazon.com/saml';

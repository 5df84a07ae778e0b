/**
 * What a finding's `resource` string names, for standard finding formats (OCSF, Security Hub's ASFF) that
 * want a resource type and partition rather than a bare string. A finding's resource is an ARN or, for
 * account-wide findings (no analyzer, a CloudTrail gap), the twelve-digit account id.
 */
export interface FindingResource {
  /** The ARN, or the account id as given. */
  uid: string;
  /** The resource's name: a role's name, an analyzer's name, or the account id. */
  name: string;
  /** CloudFormation-style type, e.g. AWS::IAM::Role; OCSF leaves the vocabulary to the producer. */
  cfnType: string;
  /** Security Hub's resource type vocabulary (AwsIamRole, AwsAccount, Other). */
  asffType: string;
  partition: string;
  /** Empty for global resources (IAM roles) and accounts. */
  region: string;
}

export function describeResource(resource: string): FindingResource {
  if (/^\d{12}$/.test(resource)) {
    return { uid: resource, name: resource, cfnType: 'AWS::::Account', asffType: 'AwsAccount', partition: 'aws', region: '' };
  }
  const arn = /^arn:([^:]+):([^:]*):([^:]*):(\d{12}|):(.*)$/.exec(resource);
  if (!arn) return { uid: resource, name: resource, cfnType: 'Other', asffType: 'Other', partition: 'aws', region: '' };
  const [, partition = 'aws', service = '', region = '', , rest = ''] = arn;
  const name = rest.split('/').pop() ?? rest;
  if (service === 'iam' && rest.startsWith('role/')) {
    return { uid: resource, name, cfnType: 'AWS::IAM::Role', asffType: 'AwsIamRole', partition, region };
  }
  if (service === 'access-analyzer' && rest.startsWith('analyzer/')) {
    return { uid: resource, name, cfnType: 'AWS::AccessAnalyzer::Analyzer', asffType: 'Other', partition, region };
  }
  return { uid: resource, name, cfnType: 'Other', asffType: 'Other', partition, region };
}

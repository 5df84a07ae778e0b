/**
 * Events that are not role assumptions. Event history holds every management event, so a collector that
 * scans by event name must filter; these make an unfiltered scan visibly wrong.
 */
import { isoSeconds, userAccessKey } from './cloudtrail-records.js';
import type { Json, SyntheticEvent } from './org-types.js';
import type { Rng } from './prng.js';
import type { AwsIdentity } from './role-spec.js';

interface NoiseKind {
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  requestParameters: Json;
}

const KINDS: readonly NoiseKind[] = [
  { eventName: 'DescribeInstances', eventSource: 'ec2.amazonaws.com', readOnly: true, requestParameters: { instancesSet: {}, filterSet: {} } },
  { eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', readOnly: true, requestParameters: { Host: 's3.amazonaws.com' } },
  { eventName: 'GetSessionToken', eventSource: 'sts.amazonaws.com', readOnly: true, requestParameters: { durationSeconds: 43200 } },
  { eventName: 'CreateLogStream', eventSource: 'logs.amazonaws.com', readOnly: false, requestParameters: { logGroupName: '/aws/lambda/orders-api', logStreamName: 'latest' } },
  { eventName: 'GetRole', eventSource: 'iam.amazonaws.com', readOnly: true, requestParameters: { roleName: 'ci-deployer' } },
];

export function noiseEvent(rng: Rng, accountId: string, identity: AwsIdentity, time: Date, region: string): SyntheticEvent {
  const kind = rng.pick(KINDS);
  const key = userAccessKey(identity);
  const record: Record<string, Json> = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: identity.uniqueId,
      arn: identity.arn,
      accountId: identity.accountId,
      accessKeyId: key,
      userName: identity.name,
    },
    eventTime: isoSeconds(time),
    eventSource: kind.eventSource,
    eventName: kind.eventName,
    awsRegion: kind.eventSource === 'iam.amazonaws.com' ? 'us-east-1' : region,
    sourceIPAddress: rng.pick(identity.sourceIps),
    userAgent: identity.userAgent,
    requestParameters: kind.requestParameters,
    responseElements: null,
    requestID: rng.uuid(),
    eventID: rng.uuid(),
    readOnly: kind.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
  };
  return {
    eventId: String(record['eventID']),
    eventName: kind.eventName,
    eventTime: isoSeconds(time),
    eventSource: kind.eventSource,
    region: String(record['awsRegion']),
    readOnly: kind.readOnly ? 'true' : 'false',
    username: identity.name,
    accessKeyId: key,
    resources: [],
    cloudTrailEvent: JSON.stringify(record),
    truth: { callerType: 'IAMUser', callerAccountId: identity.accountId, callerArn: identity.arn, mfa: false, success: true, copy: 'single' },
  };
}

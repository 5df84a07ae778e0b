import { describe, expect, it } from 'vitest';
import { toManagedPolicyRecord, toRoleRecord } from '../../src/collect/iam.js';

describe('IAM records from odd collectors', () => {
  it('takes a managed policy name from its ARN where PolicyName is missing', () => {
    const policy = toManagedPolicyRecord({
      Arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      PolicyVersionList: [{ IsDefaultVersion: true, Document: encodeURIComponent('{"Version":"2012-10-17","Statement":[]}') }],
    });
    expect(policy.name).toBe('ViewOnlyAccess');
    expect(policy.awsManaged).toBe(true);
    const role = toRoleRecord({
      Arn: 'arn:aws:iam::111122223333:role/app',
      RoleName: 'app',
      AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::111122223333:policy/team/deploy' }, { PolicyName: 'Kept', PolicyArn: 'arn:aws:iam::111122223333:policy/x' }],
    });
    expect(role.attachedPolicies.map((p) => p.name)).toEqual(['deploy', 'Kept']);
  });
});

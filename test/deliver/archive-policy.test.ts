import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgeArchivePolicy, PolicyTextError, statementDenies, type PolicyRequest } from '../../src/deliver/archive-policy.js';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const shipped = read('docs/iam/archive-bucket-policy.json');
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const COLLECTOR = { principalArn: 'arn:aws:iam::111122223333:role/AccessReviewCollector', accountId: '111122223333' };
const AUDITOR = 'arn:aws:iam::111122223333:role/AccessReviewAuditor';
const question = { bucket: 'example-access-review-archive', prefix: 'access-review', caller: COLLECTOR, organizationId: 'o-exampleorgid', kmsKeyId: KEY };
const OBJECT = 'arn:aws:s3:::example-access-review-archive/access-review/account-111122223333/2026/12/06/20261206T060000Z-3fa9c1/review.json';

interface Stmt { Sid: string }
const statements = (JSON.parse(shipped) as { Statement: Stmt[] }).Statement;
/** Which of the shipped policy's statements deny a request. */
const deniedBy = (req: PolicyRequest): string[] => statements.filter((s) => statementDenies(s, req) === true).map((s) => s.Sid);
const inOrg = (principalArn: string, action: string, extra: Record<string, string> = {}): PolicyRequest => ({
  principalArn,
  accountId: '111122223333',
  action,
  resource: OBJECT,
  context: { 'aws:securetransport': 'true', 'aws:principalarn': principalArn, 'aws:principalorgid': 'o-exampleorgid', 'aws:principalisawsservice': 'false', ...extra },
});

describe('the shipped archive bucket policy (docs/iam/archive-bucket-policy.json)', () => {
  it('guarantees TLS, no overwrites, no deletes by the collector, the archive key and nothing for outsiders', () => {
    expect(judgeArchivePolicy(shipped, question)).toEqual({
      tlsOnly: true,
      overwritesDenied: true,
      deletesDenied: true,
      kmsKeyRequired: true,
      outsideOrganizationDenied: true,
      unevaluated: [],
    });
    // Without the organization id the perimeter cannot be weighed for the caller, and is not taken for a refusal.
    const { organizationId: _, ...withoutOrg } = question;
    expect(judgeArchivePolicy(shipped, withoutOrg).deniesOwnWrite).toBeUndefined();
    expect(judgeArchivePolicy(shipped, { ...question, organizationId: 'o-another00' }).deniesOwnWrite).toBe('NothingForPrincipalsOutsideTheOrganization');
  });

  it('lets the collector write once with the key and read the previous run, and nothing else through', () => {
    const put = { 's3:if-none-match': '*', 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': KEY };
    expect(deniedBy(inOrg(COLLECTOR.principalArn, 's3:PutObject', put))).toEqual([]);
    expect(deniedBy(inOrg(COLLECTOR.principalArn, 's3:GetObject'))).toEqual([]);
    // An overwrite (no If-None-Match) is refused even to the writer, and so is a write with another key.
    expect(deniedBy(inOrg(COLLECTOR.principalArn, 's3:PutObject', { ...put, 's3:if-none-match': '' }))).toEqual([]);
    const { ['s3:if-none-match']: _, ...unconditional } = put;
    expect(deniedBy(inOrg(COLLECTOR.principalArn, 's3:PutObject', unconditional))).toEqual(['NoOverwritesEvenByTheWriter']);
    expect(deniedBy(inOrg(COLLECTOR.principalArn, 's3:PutObject', { ...put, 's3:x-amz-server-side-encryption-aws-kms-key-id': KEY.replace('1234abcd', 'ffffffff') }))).toEqual([
      'SseKmsWithTheArchiveKeyOnly',
    ]);
    for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention', 's3:PutObjectRetention']) {
      expect(deniedBy(inOrg(COLLECTOR.principalArn, action))).toEqual(['CollectorNeverDeletesOrLoosens']);
    }
  });

  it('gives the auditor reads and keeps every other principal of the organization from reading reports', () => {
    for (const action of ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention']) expect(deniedBy(inOrg(AUDITOR, action))).toEqual([]);
    expect(deniedBy(inOrg('arn:aws:iam::111122223333:role/Admin', 's3:GetObject'))).toEqual(['ReadsOnlyByTheAuditFunction']);
    expect(deniedBy(inOrg(AUDITOR, 's3:GetObject', { 'aws:securetransport': 'false' }))).toEqual(['TlsOnly']);
    const outsider: PolicyRequest = { ...inOrg('arn:aws:iam::444455556666:role/Reader', 's3:ListBucket'), accountId: '444455556666' };
    outsider.context = { ...outsider.context, 'aws:principalorgid': 'o-someoneelse' };
    expect(deniedBy(outsider)).toEqual(['NothingForPrincipalsOutsideTheOrganization']);
    // AWS services acting for the bucket (no organization of their own) are not caught by the perimeter.
    const service: PolicyRequest = { ...inOrg(AUDITOR, 's3:ListBucket'), context: { 'aws:securetransport': 'true', 'aws:principalisawsservice': 'true' } };
    expect(deniedBy(service)).toEqual([]);
  });

  it('the auditor role policy only reads', () => {
    const policy = JSON.parse(read('docs/iam/auditor-role-policy.json')) as { Statement: { Effect: string; Action: string | string[] }[] };
    const actions = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(policy.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(actions.filter((a) => !/^(s3:(Get|List)|kms:Decrypt$)/.test(a))).toEqual([]);
  });
});

describe('judging other bucket policies', () => {
  const collector = { bucket: 'b', prefix: 'p', caller: COLLECTOR };
  const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

  it('finds nothing in an Allow-only policy', () => {
    const facts = judgeArchivePolicy(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }), collector);
    expect(facts).toEqual({ tlsOnly: false, overwritesDenied: false, deletesDenied: false, outsideOrganizationDenied: false, unevaluated: [] });
  });

  it('does not take a blanket Deny of every write for "no overwrites", and names it as refusing the job', () => {
    const facts = judgeArchivePolicy(policy({ Sid: 'Frozen', Effect: 'Deny', Principal: '*', Action: 's3:Put*', Resource: 'arn:aws:s3:::b/*' }), collector);
    expect(facts.overwritesDenied).toBe(false);
    expect(facts.deniesOwnWrite).toBe('Frozen');
  });

  it('reads Principal by ARN, NotAction, and a deny on a role of another name as not covering the caller', () => {
    const mine = judgeArchivePolicy(policy({ Effect: 'Deny', Principal: { AWS: [COLLECTOR.principalArn] }, NotAction: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'], Resource: '*' }), collector);
    expect(mine.deletesDenied).toBe(true);
    const other = judgeArchivePolicy(policy({ Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:role/Someone' }, Action: 's3:Delete*', Resource: '*' }), collector);
    expect(other.deletesDenied).toBe(false);
  });

  it('counts a statement with an operator it cannot evaluate for nothing, and says which', () => {
    const facts = judgeArchivePolicy(
      policy({ Sid: 'Dated', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }),
      collector,
    );
    expect(facts.deletesDenied).toBe(false);
    expect(facts.unevaluated).toEqual(['Dated']);
  });

  it('rejects text that is not a policy', () => {
    expect(() => judgeArchivePolicy('not json', collector)).toThrow(PolicyTextError);
    expect(() => judgeArchivePolicy('{"Version":"2012-10-17"}', collector)).toThrow(/no readable Statement/);
  });
});

describe('README', () => {
  it('shows the archive bucket policy exactly as docs/iam/archive-bucket-policy.json ships it', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('### The archive bucket'));
    const block = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(JSON.parse(block)).toEqual(JSON.parse(shipped));
  });
});

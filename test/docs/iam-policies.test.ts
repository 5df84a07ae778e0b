/**
 * The IAM policies in docs/iam grant exactly what the code sends. The list of calls is derived from the
 * source: every SDK command and paginator imported from an @aws-sdk/client-* package (statically or with
 * `await import`) and used, AssumeRole behind fromTemporaryCredentials, and the permissions that request
 * parameters add (SSE-KMS, Object Lock retention). A call added without its permission, or a permission
 * left behind when its call goes, fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const SERVICE: Record<string, string> = {
  iam: 'iam',
  sts: 'sts',
  organizations: 'organizations',
  cloudtrail: 'cloudtrail',
  accessanalyzer: 'access-analyzer',
  s3: 's3',
  sesv2: 'ses',
  securityhub: 'securityhub',
  ssm: 'ssm',
  athena: 'athena',
};

/** Where an operation's IAM action is not named like the operation, or needs none. */
const ACTION_OF: Record<string, string | null> = {
  's3:ListObjectsV2': 's3:ListBucket',
  's3:HeadObject': 's3:GetObject',
  's3:HeadBucket': 's3:ListBucket',
  // IAM authorizes these operations under other action names.
  'access-analyzer:ListFindingsV2': 'access-analyzer:ListFindings',
  'access-analyzer:GetFindingV2': 'access-analyzer:GetFinding',
  's3:GetObjectLockConfiguration': 's3:GetBucketObjectLockConfiguration',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  // GetCallerIdentity needs no permission: it cannot be denied.
  'sts:GetCallerIdentity': null,
};

/**
 * Calls that make the service act with the caller's permissions elsewhere: Athena reads the table's
 * definition in Glue, creates it there for CREATE EXTERNAL TABLE, lists and reads the data in S3 (through
 * S3, so kms:Decrypt for SSE-KMS log files), and writes the result to the output location.
 */
const IMPLIED: Record<string, string[]> = {
  'athena:StartQueryExecution': [
    'glue:GetDatabase',
    'glue:GetTable',
    'glue:CreateTable',
    's3:GetBucketLocation',
    's3:ListBucket',
    's3:GetObject',
    'kms:Decrypt',
    's3:PutObject',
    's3:ListBucketMultipartUploads',
    's3:ListMultipartUploadParts',
    's3:AbortMultipartUpload',
  ],
  'athena:GetDatabase': ['glue:GetDatabase'],
  'athena:GetTableMetadata': ['glue:GetTable'],
};

/** The parts of the code that run with the member role in each account (and the collector's own account). */
const MEMBER_SERVICES = new Set(['iam', 'access-analyzer', 'cloudtrail']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'emulator' ? [] : sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Every IAM action the product's code can cause, with the file that causes it. */
function derivedActions(): Map<string, string> {
  const actions = new Map<string, string>();
  const add = (action: string, file: string): void => {
    if (!actions.has(action)) actions.set(action, path.relative(ROOT, file));
  };
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const imports = [
      ...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9]+)'/g),
      ...text.matchAll(/\{([^}]*)\}\s*=\s*await import\('@aws-sdk\/client-([a-z0-9]+)'\)/g),
    ];
    for (const [, names = '', client = ''] of imports) {
      const service = SERVICE[client];
      if (!service) throw new Error(`${file}: @aws-sdk/client-${client} has no IAM service prefix in this test`);
      for (const raw of names.split(',')) {
        const name = raw.trim();
        if (name.startsWith('type ')) continue;
        const op = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        if (!op) continue;
        // Imported and actually sent: `new XCommand(` or `paginateX(`.
        if (!new RegExp(`(new ${name}\\(|${name}\\()`).test(text.replace(/import[^;]*;/g, ''))) continue;
        const action = `${service}:${op}`;
        const mapped = action in ACTION_OF ? ACTION_OF[action] : action;
        if (mapped) add(mapped, file);
        for (const implied of IMPLIED[action] ?? []) add(implied, file);
      }
    }
    if (/fromTemporaryCredentials\(/.test(text)) add('sts:AssumeRole', file);
    // Request parameters that need permissions of their own.
    if (/SSEKMSKeyId/.test(text)) {
      add('kms:GenerateDataKey', file);
      add('kms:Decrypt', file);
    }
    if (/ObjectLockRetainUntilDate/.test(text)) add('s3:PutObjectRetention', file);
  }
  return actions;
}

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
}

function policyActions(file: string): { all: Set<string>; statements: Statement[] } {
  const doc = JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as { Statement: Statement[] };
  const all = new Set(doc.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
  return { all, statements: doc.Statement };
}

describe('docs/iam policies against the calls the code makes', () => {
  const derived = derivedActions();
  const member = [...derived.keys()].filter((a) => MEMBER_SERVICES.has(a.split(':')[0] ?? '')).sort();
  const collector = [...derived.keys()].filter((a) => !MEMBER_SERVICES.has(a.split(':')[0] ?? '')).sort();

  it('derives the calls from the source (sanity: the ones every run makes are found)', () => {
    for (const a of ['iam:GetAccountAuthorizationDetails', 'cloudtrail:LookupEvents', 'access-analyzer:ListFindings', 'sts:AssumeRole', 's3:PutObject', 'securityhub:BatchImportFindings', 'ssm:GetParameter']) {
      expect(derived.has(a), a).toBe(true);
    }
  });

  it('the member role policy lists exactly the reads made in each account', () => {
    expect([...policyActions('docs/iam/member-role-policy.json').all].sort()).toEqual(member);
  });

  it('the collector policy lists exactly the rest, each feature-specific permission in an Optional statement', () => {
    const { all, statements } = policyActions('docs/iam/collector-policy.json');
    expect([...all].sort()).toEqual(collector);
    const optional = new Set(statements.filter((s) => s.Sid.startsWith('Optional')).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    for (const a of ['kms:GenerateDataKey', 'kms:Decrypt', 's3:PutObjectRetention', 'ses:SendEmail', 'securityhub:BatchImportFindings', 'ssm:GetParameter', 'athena:StartQueryExecution', 'athena:GetWorkGroup', 'glue:GetTable', 'glue:CreateTable', 's3:GetBucketLocation']) {
      expect(optional.has(a), a).toBe(true);
    }
    for (const a of ['organizations:ListAccounts', 'sts:AssumeRole', 's3:PutObject', 's3:ListBucket']) {
      expect(statements.some((s) => !s.Sid.startsWith('Optional') && (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(a)), a).toBe(true);
    }
  });
});

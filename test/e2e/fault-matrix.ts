/**
 * The fault matrix: for each stage of a run and each fault, what must come out of it. The same rows drive
 * test/e2e/fault-matrix.e2e.test.ts (each asserted against the emulator) and the table in the README
 * (test/docs checks that the README shows exactly these rows), so the documented promises and the tested
 * behaviour cannot drift apart.
 */
import type { FaultConfig } from '../../src/emulator/index.js';

export interface MatrixAccounts {
  management: string;
  member: string;
}

export type ArchiveOutcome = 'complete' | 'complete, no PDF' | 'none';

export interface FaultRow {
  stage: string;
  fault: string;
  /** Emulator faults for this row (account ids from the synthetic organization). */
  faults?: (a: MatrixAccounts) => FaultConfig;
  /** Config changes for this row (deep-merged into the matrix's base config). */
  config?: Record<string, unknown>;
  /** Print the PDF (Chromium) in this row; the other rows leave it out to stay quick. */
  pdf?: boolean;
  /** `--out` names a regular file: the local folder cannot be created. */
  outIsFile?: boolean;
  /** A later run of the same scope reads a review.json of the wrong shape from the archive. */
  badPreviousReview?: boolean;
  /** Spawn the CLI and send SIGTERM to it when this log event appears. */
  sigtermOn?: string;
  /** SIGKILL the Chromium the run starts, while it prints. */
  killChromium?: boolean;
  expect: {
    exit: number;
    archive: ArchiveOutcome;
    local: boolean;
    email: boolean;
    /** On stdout or stderr. */
    output: RegExp[];
    /** The same coverage gaps as a run without faults (latency must cost time, not evidence). */
    sameGapsAsBaseline?: boolean;
    /** In the archived (or local) report.html, when there is one. */
    report?: RegExp[];
    /** In the plain-text body of the email, when one is sent. */
    email_says?: RegExp[];
  };
  /** What the report, the email and the output say, for the README. */
  says: string;
}

const GAP = /coverage gaps: [1-9]/;
const retries = 'throttled past the retries';

export const FAULT_ROWS: FaultRow[] = [
  {
    stage: 'collect: IAM',
    fault: retries,
    faults: () => ({ throttle: { 'iam:GetAccountAuthorizationDetails': 1 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/Roles or policies may be missing/, /Throttling/], email_says: [/coverage gap/] },
    says: 'a failed IAM gap per account (roles missing), counted in the summary, the report and the email',
  },
  {
    stage: 'collect: IAM',
    fault: '5xx',
    faults: () => ({ serverErrors: { 'iam:GetAccountAuthorizationDetails': 1 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/Roles or policies may be missing/], email_says: [/coverage gap/] },
    says: 'the same gap, with the service error',
  },
  {
    stage: 'collect: IAM',
    fault: 'AccessDenied',
    faults: (a) => ({ denyOperations: { [a.member]: ['iam:*'] } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/AccessDenied/], email_says: [/coverage gap/] },
    says: 'one gap for the denied account; the other accounts are reviewed',
  },
  {
    stage: 'collect: IAM',
    fault: 'latency (1.5 s a call)',
    faults: () => ({ latencyByOperation: { 'iam:GetAccountAuthorizationDetails': 1500 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [/Emailed 2 recipient/], sameGapsAsBaseline: true },
    says: 'nothing: slower, complete',
  },
  {
    stage: 'collect: STS (member role)',
    fault: 'AccessDenied',
    faults: (a) => ({ denyAccounts: [a.member] }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/could not be entered/], email_says: [/coverage gap/] },
    says: 'the account is listed as not reviewed ("could not be entered")',
  },
  {
    stage: 'collect: STS (member role)',
    fault: retries,
    faults: () => ({ throttle: { 'sts:AssumeRole': 1 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/could not be entered/] },
    says: 'the same, for every member account',
  },
  {
    stage: 'collect: STS (member role)',
    fault: '5xx',
    faults: () => ({ serverErrors: { 'sts:AssumeRole': 1 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/could not be entered/] },
    says: 'the same, for every member account',
  },
  {
    stage: 'collect: Organizations',
    fault: 'AccessDenied',
    faults: (a) => ({ denyOperations: { [a.management]: ['organizations:*'] } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/Organization accounts could not be listed/] },
    says: 'an Organizations gap: accounts may be missing and membership misjudged',
  },
  {
    stage: 'collect: Organizations',
    fault: '5xx',
    faults: () => ({ serverErrors: { 'organizations:*': 1 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/Organization accounts could not be listed/] },
    says: 'the same',
  },
  {
    stage: 'collect: Access Analyzer',
    fault: retries,
    faults: () => ({ throttle: { 'access-analyzer:*': 1 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/not cross-checked against IAM Access Analyzer/] },
    says: 'an Access Analyzer gap per account and region (merged across regions)',
  },
  {
    stage: 'collect: Access Analyzer',
    fault: '5xx',
    faults: () => ({ serverErrors: { 'access-analyzer:*': 1 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/not cross-checked against IAM Access Analyzer/] },
    says: 'the same',
  },
  {
    stage: 'collect: Access Analyzer',
    fault: 'AccessDenied',
    faults: (a) => ({ denyOperations: { [a.member]: ['access-analyzer:*'] } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/not cross-checked against IAM Access Analyzer/] },
    says: 'the same, for the denied account',
  },
  {
    stage: 'collect: CloudTrail',
    fault: retries,
    config: { cloudtrail: { enabled: true, lookbackDays: 7 } },
    faults: () => ({ throttle: { 'cloudtrail:LookupEvents': 1 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/Usage is understated/] },
    says: 'a CloudTrail gap: usage is understated',
  },
  {
    stage: 'collect: CloudTrail',
    fault: '5xx',
    config: { cloudtrail: { enabled: true, lookbackDays: 7 } },
    faults: () => ({ serverErrors: { 'cloudtrail:LookupEvents': 1 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/Usage is understated/] },
    says: 'the same',
  },
  {
    stage: 'collect: CloudTrail',
    fault: 'AccessDenied',
    config: { cloudtrail: { enabled: true, lookbackDays: 7 } },
    faults: (a) => ({ denyOperations: { [a.member]: ['cloudtrail:LookupEvents'] } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [GAP], report: [/Usage is understated/] },
    says: 'the same, for the denied account',
  },
  {
    stage: 'collect',
    fault: 'SIGTERM',
    faults: () => ({ latencyByOperation: { 'iam:GetAccountAuthorizationDetails': 3000 } }),
    sigtermOn: 'run.start',
    expect: { exit: 143, archive: 'none', local: false, email: false, output: [/stopped by SIGTERM during collection; nothing was delivered/] },
    says: 'stderr: stopped during collection, nothing delivered',
  },
  {
    stage: 'analyze',
    fault: 'previous review tampered (wrong shape)',
    badPreviousReview: true,
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [/previous\.review\.unusable/], report: [/Changes could not be computed: .*does not match the review schema/], email_says: [/Changes could not be computed/] },
    says: '"Changes could not be computed: …" in the report and the email; a warning in the log',
  },
  {
    stage: 'render (HTML, then PDF)',
    fault: 'SIGTERM',
    pdf: true,
    sigtermOn: 'analyze.done',
    expect: { exit: 143, archive: 'none', local: false, email: false, output: [/stopped by SIGTERM during (rendering|PDF printing); nothing was delivered/] },
    says: 'stderr: stopped during rendering, nothing delivered',
  },
  {
    stage: 'print PDF',
    fault: 'SIGKILL of Chromium',
    pdf: true,
    killChromium: true,
    expect: { exit: 3, archive: 'complete, no PDF', local: true, email: true, output: [/Delivery problem: report\.pdf could not be printed/], email_says: [/The PDF could not be produced this run/] },
    says: 'the email says the PDF could not be produced and where the other formats are',
  },
  {
    stage: 'print PDF',
    fault: 'Chromium missing',
    pdf: true,
    config: { chromiumPath: '/nonexistent/chromium' },
    expect: { exit: 3, archive: 'complete, no PDF', local: true, email: true, output: [/Delivery problem: report\.pdf could not be printed: .*Chromium was not found/], email_says: [/The PDF could not be produced this run/] },
    says: 'the same, naming the missing browser',
  },
  {
    stage: 'print PDF',
    fault: 'SIGTERM',
    pdf: true,
    sigtermOn: 'render.pdf.start',
    expect: { exit: 143, archive: 'none', local: false, email: false, output: [/stopped by SIGTERM during PDF printing; nothing was delivered/] },
    says: 'stderr: stopped during PDF printing, nothing delivered (no PDF-less report)',
  },
  {
    stage: 'archive (S3)',
    fault: retries,
    faults: () => ({ throttle: { 's3:PutObject': 1 } }),
    expect: { exit: 3, archive: 'none', local: true, email: true, output: [/Delivery problem: archive to s3:\/\/\S+ failed/], email_says: [/Not delivered: archive to s3:\/\//] },
    says: 'the summary and the email say the archive failed ("Not delivered: archive to s3://… failed: …"); the local folder has the run',
  },
  {
    stage: 'archive (S3)',
    fault: '5xx',
    faults: () => ({ serverErrors: { 's3:PutObject': 1 } }),
    expect: { exit: 3, archive: 'none', local: true, email: true, output: [/Delivery problem: archive to s3:\/\/\S+ failed/], email_says: [/Not delivered: archive/] },
    says: 'the same',
  },
  {
    stage: 'archive (S3)',
    fault: 'AccessDenied',
    faults: (a) => ({ denyOperations: { [a.management]: ['s3:PutObject'] } }),
    expect: { exit: 3, archive: 'none', local: true, email: true, output: [/Delivery problem: archive to s3:\/\/\S+ failed: .*(Access ?Denied|not authorized)/i], email_says: [/Not delivered: archive/] },
    says: 'the same, with AccessDenied',
  },
  {
    stage: 'archive (S3)',
    fault: 'unwritable target (no such bucket)',
    config: { archive: { bucket: 'no-such-archive-bucket' } },
    expect: {
      exit: 3,
      archive: 'none',
      local: true,
      email: true,
      output: [/Delivery problem: archive to s3:\/\/no-such-archive-bucket failed: The specified bucket does not exist/],
      email_says: [/Not delivered: archive to s3:\/\/no-such-archive-bucket failed/, /Changes could not be computed: the archive's history in s3:\/\/no-such-archive-bucket could not be listed/],
    },
    says: 'the same; and "Changes could not be computed", since the history could not be read either',
  },
  {
    stage: 'archive (S3)',
    fault: 'latency (0.3 s a write)',
    faults: () => ({ latencyByOperation: { 's3:PutObject': 300 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [/Archived: s3:\/\//] },
    says: 'nothing: slower, complete',
  },
  {
    stage: 'archive (S3)',
    fault: 'SIGTERM',
    faults: () => ({ latencyByOperation: { 's3:PutObject': 400 } }),
    sigtermOn: 'archive.start',
    expect: { exit: 143, archive: 'complete', local: true, email: false, output: [/stopped by SIGTERM during delivery; the report was delivered whole to s3:\/\/\S+ and \S+ and the email was not sent/] },
    says: 'the archive finishes whole (manifest last), the local copy too; no email; stderr says where it landed',
  },
  {
    stage: 'local folder',
    fault: 'unwritable target (--out is a file)',
    outIsFile: true,
    expect: { exit: 3, archive: 'complete', local: false, email: true, output: [/Archived: s3:\/\//, /Delivery problem: local folder \S+ could not be written/], email_says: [/Archived with a SHA-256 manifest at s3:\/\//, /Not delivered: local folder/] },
    says: 'the summary and the email give the archive and say the local copy failed',
  },
  {
    stage: 'email (SES)',
    fault: retries,
    faults: () => ({ throttle: { 'ses:SendEmail': 1 } }),
    expect: { exit: 3, archive: 'complete', local: true, email: false, output: [/Delivery problem: email to 2 recipient\(s\) failed/] },
    says: 'the summary says the email failed; archive and folder are complete',
  },
  {
    stage: 'email (SES)',
    fault: '5xx',
    faults: () => ({ serverErrors: { 'ses:SendEmail': 1 } }),
    expect: { exit: 3, archive: 'complete', local: true, email: false, output: [/Delivery problem: email to 2 recipient\(s\) failed/] },
    says: 'the same',
  },
  {
    stage: 'email (SES)',
    fault: 'AccessDenied',
    faults: (a) => ({ denyOperations: { [a.management]: ['ses:SendEmail'] } }),
    expect: { exit: 3, archive: 'complete', local: true, email: false, output: [/Delivery problem: email to 2 recipient\(s\) failed: .*(Access ?Denied|not authorized)/i] },
    says: 'the same, with AccessDenied',
  },
  {
    stage: 'email (SES)',
    fault: 'rejected (sender not verified)',
    config: { email: { from: 'access-review@unverified.example', to: ['security-leads@acme.example', 'ciso@acme.example'] } },
    expect: { exit: 3, archive: 'complete', local: true, email: false, output: [/Delivery problem: email to 2 recipient\(s\) failed: Email address is not verified/] },
    says: 'the same, with SES\'s reason',
  },
  {
    stage: 'email (SES)',
    fault: 'latency (1 s)',
    faults: () => ({ latencyByOperation: { 'ses:SendEmail': 1000 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [/Emailed 2 recipient\(s\)/] },
    says: 'nothing: slower, complete',
  },
  {
    stage: 'email (SES)',
    fault: 'SIGTERM',
    faults: () => ({ latencyByOperation: { 'ses:SendEmail': 1500 } }),
    sigtermOn: 'email.start',
    expect: { exit: 143, archive: 'complete', local: true, email: true, output: [/stopped by SIGTERM during email; the report was delivered whole to s3:\/\/\S+ and \S+ and the email was sent/] },
    says: 'the message in flight is sent; the exit code still says the run was stopped',
  },
  {
    stage: 'Security Hub export',
    fault: retries,
    config: { securityHub: { enabled: true } },
    faults: () => ({ throttle: { 'securityhub:BatchImportFindings': 1 } }),
    expect: { exit: 3, archive: 'complete', local: true, email: true, output: [/Delivery problem: Security Hub did not take \d+ finding\(s\)/], email_says: [/Not delivered: Security Hub did not take \d+ finding\(s\)/] },
    says: 'each batch that failed counts its findings as not taken, logged by id; the summary and the email give the count; archive, folder and email are complete',
  },
  {
    stage: 'Security Hub export',
    fault: '5xx',
    config: { securityHub: { enabled: true } },
    faults: () => ({ serverErrors: { 'securityhub:BatchImportFindings': 1 } }),
    expect: { exit: 3, archive: 'complete', local: true, email: true, output: [/Delivery problem: Security Hub did not take \d+ finding\(s\)/], email_says: [/Not delivered: Security Hub did not take \d+ finding\(s\)/] },
    says: 'the same',
  },
  {
    stage: 'Security Hub export',
    fault: 'AccessDenied',
    config: { securityHub: { enabled: true } },
    faults: (a) => ({ denyOperations: { [a.management]: ['securityhub:BatchImportFindings'] } }),
    expect: { exit: 3, archive: 'complete', local: true, email: true, output: [/Delivery problem: Security Hub did not take \d+ finding\(s\): .*(Access ?Denied|not authorized)/i], email_says: [/Not delivered: Security Hub did not take \d+ finding\(s\)/] },
    says: 'the same, with AccessDenied',
  },
  {
    stage: 'Security Hub export',
    fault: 'findings refused (partial batch)',
    config: { securityHub: { enabled: true } },
    faults: () => ({ rejectFindings: ['access-review/'] }),
    expect: { exit: 3, archive: 'complete', local: true, email: true, output: [/Delivery problem: Security Hub did not take \d+ finding\(s\)/], email_says: [/Not delivered: Security Hub did not take \d+ finding\(s\)/] },
    says: 'each refused finding logged by id; the summary and the email give the count',
  },
  {
    stage: 'Security Hub export',
    fault: 'latency (1 s)',
    config: { securityHub: { enabled: true } },
    faults: () => ({ latencyByOperation: { 'securityhub:BatchImportFindings': 1000 } }),
    expect: { exit: 0, archive: 'complete', local: true, email: true, output: [/Security Hub: \d+ finding\(s\) imported/] },
    says: 'nothing: slower, complete',
  },
];

const yes = (b: boolean): string => (b ? 'yes' : 'no');

/** The README's table, generated from the rows. */
export function faultMatrixMarkdown(rows: readonly FaultRow[] = FAULT_ROWS): string {
  const lines = ['| Stage | Fault | Exit | Archive | Local folder | Email sent | What the report, the email and the output say |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.stage} | ${r.fault} | ${r.expect.exit} | ${r.expect.archive} | ${yes(r.expect.local)} | ${yes(r.expect.email)} | ${r.says} |`);
  return lines.join('\n');
}

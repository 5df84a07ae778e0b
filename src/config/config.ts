/** The validated configuration every command runs from. */
import type { SuppressionRule, VendorAccount } from '../model/settings.js';
import { OWNERS_DEFAULTS, type OwnersConfig } from '../model/ownership.js';

export type OutputFormat = 'html' | 'pdf' | 'json' | 'csv';

export type UsageSource = 'event-history' | 'organization-trail' | 'athena' | 'auto';

/** Where a trail delivers its log files (CloudTrail's S3 layout); read with the collector's own credentials. */
export interface OrganizationTrailSettings {
  bucket: string;
  /** The trail's S3 key prefix (before AWSLogs/), if it has one. */
  prefix?: string;
  /** o-…: the organization trail layout. Absent: an account trail's layout (AWSLogs/<account>/…). */
  organizationId?: string;
  /** The trail's KMS key, when its log files are SSE-KMS encrypted (the collector needs kms:Decrypt). */
  kmsKeyId?: string;
  /** Log files read at once per account and region. */
  concurrency: number;
  /** The bucket's region (a log-archive bucket often lives in another region); resolved to aws.region when not set. */
  region?: string;
}

export const TRAIL_DEFAULTS: Pick<OrganizationTrailSettings, 'concurrency'> = { concurrency: 16 };

/** Amazon Athena over the trail: one SQL query aggregates what the direct reader would read file by file. */
export interface AthenaSettings {
  workGroup: string;
  database: string;
  /**
   * A CloudTrail table with partition projection on account, region and day (AWS's documented DDL), or
   * "create": the run creates its own from cloudtrail.organizationTrail (CREATE EXTERNAL TABLE IF NOT EXISTS).
   */
  table: string;
  /** s3://… for query results; absent: the workgroup's own result location. */
  outputLocation?: string;
  catalog: string;
  /** The bounded wait for one query; past it the query is stopped and the usage is a coverage gap. */
  maxWaitSeconds: number;
  /** Where the workgroup, catalog and query results are; resolved to aws.region when not set. */
  region?: string;
}

export const ATHENA_DEFAULTS: Omit<AthenaSettings, 'outputLocation'> = {
  workGroup: 'primary',
  database: 'default',
  table: 'create',
  catalog: 'AwsDataCatalog',
  maxWaitSeconds: 900,
};

/** The trail bucket's region: cloudtrail.organizationTrail.region, else aws.region. */
export function trailRegion(config: Pick<Config, 'aws' | 'cloudtrail'>): string {
  return config.cloudtrail.organizationTrail?.region ?? config.aws.region;
}

/** Athena's region (workgroup, catalog, results): cloudtrail.athena.region, else aws.region. */
export function athenaRegion(config: Pick<Config, 'aws' | 'cloudtrail'>): string {
  return config.cloudtrail.athena?.region ?? config.aws.region;
}

/** Event history (LookupEvents) keeps 90 days of management events. */
export const EVENT_HISTORY_MAX_DAYS = 90;

export interface Config {
  scope: {
    mode: 'account' | 'organization';
    /** Only these member accounts (organization mode); empty means all active accounts. */
    accounts: string[];
    excludeAccounts: string[];
    /** The read-only role assumed in each member account. */
    memberRoleName: string;
    memberRoleExternalId?: string;
    /**
     * Accounts collected at once. "auto": every account in scope, up to AUTO_CONCURRENCY_MAX — CloudTrail's
     * limit is per account and region, so the run's floor is its slowest account only if all start together.
     */
    concurrency: number | 'auto';
    /**
     * Worker threads collecting groups of accounts side by side (organization mode): 0 or 1 collects on
     * the main thread (the default); "auto" starts one a core when 30 or more accounts are in scope (see
     * worker-pool.ts).
     */
    workers: number | 'auto';
    /**
     * This run collects one shard of the organization's accounts and writes it as a part; the shard that
     * completes the set merges, analyzes and delivers (see README, "Sharded collection").
     */
    shard?: { index: number; count: number };
    /** Names the collection the shards belong to, the same in every shard (e.g. the Kubernetes Job name). */
    runGroup?: string;
  };
  aws: {
    region: string;
    /** One endpoint for every service (an emulator or a proxy); AWS_ENDPOINT_URL_<SERVICE> still applies. */
    endpoint?: string;
    s3ForcePathStyle: boolean;
    maxAttempts: number;
  };
  regions: string[];
  cloudtrail: {
    enabled: boolean;
    /**
     * Days of usage to review: up to 400 from a trail; event history keeps 90, so a run on it reviews 90
     * and says so in the report's coverage.
     */
    lookbackDays: number;
    /**
     * Where usage comes from: CloudTrail event history (LookupEvents), the organization trail's log files
     * in S3 read directly, the same files queried with Athena, or "auto" (Athena when configured and its
     * workgroup answers, else the trail when configured and readable, else event history).
     */
    source: UsageSource;
    organizationTrail?: OrganizationTrailSettings;
    athena?: AthenaSettings;
    /** LookupEvents is limited to 2 requests/second per account and region. */
    requestsPerSecond: number;
    eventNames: string[];
    /** Read only the events after the previous run's usage ledger (found in the archive) ends. */
    incremental: boolean;
  };
  accessAnalyzer: { enabled: boolean };
  /** IAM service and action last-accessed data (Access Advisor): one job per role and run. */
  lastAccessed: {
    enabled: boolean;
    /** "outside-account": roles a principal outside their account can assume; "all": every role. */
    roles: 'outside-account' | 'all';
    /** Jobs started and polled at once per account (IAM throttles per account). */
    concurrency: number;
    /** How long one account's batch of jobs may take before the rest count as timed out. */
    maxWaitSeconds: number;
    /** First pause between polls of a job; it doubles up to 10 s. */
    pollSeconds: number;
  };
  analysis: {
    unusedAfterDays: number;
    /** The least-privilege rules: a role using under `lowUseShare` of at least `lowUseMinServices` granted services. */
    leastPrivilege: { lowUseShare: number; lowUseMinServices: number };
    vendors: VendorAccount[];
    suppressions: SuppressionRule[];
  };
  output: {
    /** Local folder for the artifacts; each run gets its own sub-folder. */
    dir?: string;
    formats: OutputFormat[];
    /**
     * Which roles the PDF shows: "all", or "flagged" — the manager's PDF for organizations whose full PDF
     * would run to thousands of pages: only flagged roles (an open finding, outside trust, an unreadable
     * trust policy) are listed, the riskiest 100 of them with a full card, the others counted per account.
     * The HTML, JSON and CSV always hold every role.
     */
    pdfRoles: 'all' | 'flagged';
    /**
     * Tagged PDF with a bookmark outline (screen readers, a clickable contents sidebar). It roughly doubles
     * print time and quadruples the file of a large report, so very large organizations may turn it off.
     */
    pdfAccessible: boolean;
    /** The PDF's paper size. */
    paper: 'A4' | 'Letter';
  };
  archive: {
    bucket?: string;
    prefix: string;
    kmsKeyId?: string;
    objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number };
  };
  /** Email the report to the distribution list after each `run` (SES v2); absent means no email. */
  email?: EmailConfig;
  /** Import the findings into AWS Security Hub after each `run`; absent or disabled means no import. */
  securityHub?: { enabled: boolean; region?: string; account?: string };
  schedule: { cron: string; timezone: string };
  chromiumPath?: string;
  /**
   * Who owns what: role and account tag keys naming owners, and the owners with their emails and scopes
   * (accounts, organizational units, account tags). See README, "Owners".
   */
  owners: OwnersConfig;
}

export interface EmailConfig {
  /** A sender address (or domain) verified in SES. */
  from: string;
  fromName?: string;
  to: string[];
  cc: string[];
  /** The SES region; defaults to aws.region. */
  region?: string;
  configurationSetName?: string;
  /**
   * Largest PDF sent as an attachment. Base64 adds a third, and many corporate mail servers refuse
   * messages over 10–25 MB, so a larger PDF goes as a presigned link to the archived copy instead.
   */
  maxAttachmentMB: number;
  /** Lifetime of that link: SigV4 allows at most 7 days, and a link dies with the session that signed it. */
  linkExpiryHours: number;
  /** SES (default) or an SMTP relay. */
  transport: 'ses' | 'smtp';
  /** The relay, for transport "smtp"; its password comes only from ACCESS_REVIEW_SMTP_PASSWORD. */
  smtp?: { host: string; port: number; secure: boolean; requireTLS: boolean; username?: string };
}

export const EMAIL_DEFAULTS: Pick<EmailConfig, 'cc' | 'maxAttachmentMB' | 'linkExpiryHours' | 'transport'> = {
  cc: [],
  maxAttachmentMB: 10,
  linkExpiryHours: 168,
  transport: 'ses',
};

export const SMTP_DEFAULTS = { port: 587, secure: false, requireTLS: true } as const;

/** The most accounts "auto" collects at once (sockets, memory); beyond it, shard the run. */
export const AUTO_CONCURRENCY_MAX = 64;

/** How many accounts to collect at once for a scope of `accounts` accounts. */
export function accountConcurrency(setting: number | 'auto', accounts: number): number {
  return setting === 'auto' ? Math.max(1, Math.min(accounts, AUTO_CONCURRENCY_MAX)) : setting;
}

export const DEFAULT_CONFIG: Config = {
  scope: {
    mode: 'account',
    accounts: [],
    excludeAccounts: [],
    memberRoleName: 'AccessReviewReadOnly',
    concurrency: 'auto',
    // Off by default: workers roughly double the collector's peak memory (2,041 MiB at 50 accounts ×
    // 2,000 roles), past what the shipped CronJob's 2 Gi limit holds (docs/performance.md).
    workers: 0,
  },
  aws: { region: 'us-east-1', s3ForcePathStyle: false, maxAttempts: 8 },
  regions: ['us-east-1'],
  cloudtrail: {
    enabled: true,
    lookbackDays: 90,
    source: 'event-history',
    requestsPerSecond: 2,
    eventNames: ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'],
    incremental: true,
  },
  accessAnalyzer: { enabled: true },
  lastAccessed: { enabled: true, roles: 'outside-account', concurrency: 8, maxWaitSeconds: 600, pollSeconds: 2 },
  analysis: { unusedAfterDays: 90, leastPrivilege: { lowUseShare: 0.1, lowUseMinServices: 5 }, vendors: [], suppressions: [] },
  output: { formats: ['html', 'pdf', 'json', 'csv'], pdfRoles: 'all', pdfAccessible: true, paper: 'A4' },
  archive: { prefix: 'access-review' },
  schedule: { cron: '0 6 * * 1', timezone: 'UTC' },
  owners: { ...OWNERS_DEFAULTS, roleTagKeys: [...OWNERS_DEFAULTS.roleTagKeys], accountTagKeys: [...OWNERS_DEFAULTS.accountTagKeys], list: [] },
};

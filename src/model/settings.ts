/** Analysis settings: what the config file contributes to the (pure) analysis. */
import type { OwnersConfig } from './ownership.js';

export interface VendorAccount {
  accountId: string;
  name: string;
  /** Where the account id is published (a URL), so a reviewer can check the claim. */
  source: string;
}

export interface SuppressionRule {
  ruleId: string;
  /** Glob over the finding's resource ARN ("*" matches any run of characters). */
  resource: string;
  reason: string;
  owner: string;
  /** Date (YYYY-MM-DD) after which the suppression lapses and the finding is open again. */
  expires: string;
}

export interface AnalysisSettings {
  /** A role or trust grant with no use for this many days is reported as unused. */
  unusedAfterDays: number;
  /** Vendor accounts added to the shipped catalogue (config: vendors). */
  extraVendors: VendorAccount[];
  suppressions: SuppressionRule[];
  /** The least-privilege rules' thresholds (defaults below when absent). */
  leastPrivilege?: LeastPrivilegeSettings;
  /** Who owns what (config: owners); absent: the defaults (owner and team tags, no owners list). */
  owners?: OwnersConfig;
}

export interface LeastPrivilegeSettings {
  /** A role using less than this share of the services Access Advisor tracks for it is reported. */
  lowUseShare: number;
  /** ...when it is granted at least this many tracked services (tiny roles are not worth a finding). */
  lowUseMinServices: number;
}

export const DEFAULT_LEAST_PRIVILEGE: LeastPrivilegeSettings = { lowUseShare: 0.1, lowUseMinServices: 5 };

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = {
  unusedAfterDays: 90,
  extraVendors: [],
  suppressions: [],
};

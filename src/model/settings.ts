/** Analysis settings: what the config file contributes to the (pure) analysis. */

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
}

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = {
  unusedAfterDays: 90,
  extraVendors: [],
  suppressions: [],
};

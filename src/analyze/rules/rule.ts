/** The shape every rule module has: metadata for the catalogue and a pure evaluation. */
import type { Evidence, Severity } from '../../model/review.js';
import type { ReviewContext } from '../context.js';

/** The practices the rules enforce, as named in DESIGN.md. */
export type BestPractice = 'least-privilege' | 'role-based-trust' | 'logging-and-monitoring' | 'periodic-review' | 'mfa';

export const BEST_PRACTICE_TITLES: Record<BestPractice, string> = {
  'least-privilege': 'Least privilege',
  'role-based-trust': 'Role-based trust',
  'logging-and-monitoring': 'Logging and monitoring',
  'periodic-review': 'Periodic access review',
  mfa: 'Multi-factor authentication',
};

export interface RuleMeta {
  /** Stable, kebab-case; suppressions and diffs key on it. */
  id: string;
  title: string;
  /** The usual severity; a finding may be raised or lowered where the rule says why. */
  severity: Severity;
  rationale: string;
  remediation: string;
  bestPractice: BestPractice[];
  /** Public documentation backing the rule. */
  references: string[];
  /** Imperative phrase for the summary's top actions, e.g. "Require sts:ExternalId on vendor roles". */
  action: string;
}

/** What a rule reports; the engine turns it into a Finding (id, score, suppression). */
export interface RuleHit {
  accountId: string;
  /** The ARN (or account id) the finding is about. */
  resource: string;
  /** What within the resource: the principal, analyzer finding id, region... Part of the finding id. */
  subject: string;
  message: string;
  evidence: Evidence[];
  grantId?: string;
  /** The role the hit concerns, when the resource is not itself the role (for scoring and linking). */
  roleArn?: string;
  severity?: Severity;
  remediation?: string;
}

export interface Rule {
  meta: RuleMeta;
  evaluate(context: ReviewContext): RuleHit[];
}

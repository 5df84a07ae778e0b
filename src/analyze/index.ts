/**
 * The analysis engine: snapshot in, review out. Pure and deterministic for a given `now`; the CLI loads the
 * action catalogue, the vendor list and the settings, and calls `analyze`.
 */
import type { Review } from '../model/review.js';
import type { Snapshot } from '../model/snapshot.js';
import type { PermissionsEngine } from './engine.js';
import { canAssume, createPermissionEvaluator, grantedActions, isActionAllowed, summarizePermissions } from './permissions/index.js';
import { analyzeWith, type AnalyzeOptions } from './run-analysis.js';

export type { AnalyzeOptions } from './run-analysis.js';
export type { PermissionsEngine, PolicyInput } from './engine.js';
export { analyzeWith } from './run-analysis.js';
export { ruleCatalogue, rulesMarkdown, RULES } from './rules/index.js';
export type { BestPractice, Rule, RuleHit, RuleMeta } from './rules/index.js';
export { parseVendorList, vendorIndex, type VendorIndex } from './vendors.js';

const permissionsEngine: PermissionsEngine = { summarizePermissions, isActionAllowed, canAssume, createPermissionEvaluator, grantedActions, namesAreLabels: true };

export function analyze(snapshot: Snapshot, options: AnalyzeOptions): Review {
  return analyzeWith(snapshot, options, permissionsEngine);
}

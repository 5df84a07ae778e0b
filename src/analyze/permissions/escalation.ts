/**
 * Which escalation methods a principal can use. A method is flagged when every step's action is allowed on
 * at least one resource of the step's kind: a resource constraint narrows it (PassRole only on
 * role/lambda-basic-* still passes those roles, so it is flagged, with that pattern as evidence), while an
 * explicit Deny covering the step, or a condition that rules out the step's context (PassRole limited by
 * iam:PassedToService to another service), removes it.
 *
 * A step the method needs no Allow for (`unlessDenied`: assuming a role whose trust it rewrote to name the
 * principal) is possible unless an explicit Deny covers it.
 *
 * Steps whose action the catalogue does not know make the method inapplicable: the catalogue defines which
 * actions exist, and a retired service's method would otherwise be flagged on every "*" policy.
 */
import { actionInfo } from './catalog-index.js';
import { ESCALATION_METHODS, targetExclusions, targetPattern, type EscalationMethod } from './escalation-methods.js';
import { resourceContains } from './glob.js';
import { evaluateAction, evaluateNamedInResource, type PolicySet } from './policy-set.js';
import { CONDITIONAL, NONE } from './types.js';

export interface EscalationCapability {
  method: string;
  title: string;
  /** The required actions, as AWS spells them. */
  actions: string[];
  /** Per step, the resource patterns it is allowed on: "iam:PassRole on arn:aws:iam::*:role/app-*". */
  resources: string[];
  /** True when some step is allowed only under a Condition (or unless a conditional Deny applies). */
  conditional: boolean;
  source: string;
  steps: { action: string; resources: string[] }[];
}

export function detectEscalations(
  set: PolicySet,
  partition = '*',
  methods: readonly EscalationMethod[] = ESCALATION_METHODS,
): EscalationCapability[] {
  const found: EscalationCapability[] = [];
  for (const method of methods) {
    const infos = method.requires.map((step) => actionInfo(set.index, step.action));
    if (infos.some((info) => info === undefined)) continue;
    let conditional = false;
    const resources: string[] = [];
    const steps: { action: string; resources: string[] }[] = [];
    let possible = true;
    for (const step of method.requires) {
      // A call that may carry one of several contexts is possible when any of them is allowed.
      const grant = (step.contexts ?? [step.context])
        .map((context) => evaluateAction(set, step.action, targetPattern(step.resource, partition), 'some', context))
        .reduce((best, next) => (next.level > best.level ? next : best));
      const excluded = targetExclusions(step.resource, partition);
      if (grant.level === NONE || (excluded.length > 0 && grant.resources.every((r) => excluded.some((e) => resourceContains(e, r))))) {
        possible = false;
        break;
      }
      conditional ||= grant.level === CONDITIONAL;
      resources.push(`${step.action} on ${grant.resources.join(', ')}`);
      steps.push({ action: step.action, resources: [...grant.resources] });
    }
    // Calls a rewritten same-account trust admits need no Allow, but an explicit Deny still blocks them. The
    // trust it writes may name its own session, which a boundary's implicit deny does not limit.
    for (const step of possible ? (method.unlessDenied ?? []) : []) {
      const grant = evaluateNamedInResource(set, step.action, targetPattern(step.resource, partition), step.context);
      if (grant.level === NONE) {
        possible = false;
        break;
      }
      conditional ||= grant.level === CONDITIONAL;
      const denied = grant.deniedBy.length > 0 ? `, unless a conditional Deny (${grant.deniedBy.map((d) => `${d.policy.name} statement ${d.index + 1}`).join(', ')}) applies` : '';
      resources.push(`${step.action}: no Allow needed, the trust it writes names the principal (same account)${denied}`);
    }
    if (!possible) continue;
    found.push({
      method: method.id,
      title: method.title,
      actions: method.requires.map((s) => s.action),
      resources,
      conditional,
      source: method.source,
      steps,
    });
  }
  return found;
}

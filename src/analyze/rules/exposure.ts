/** The grants that expose a role outside the organization: the common test of the permission-based rules. */
import type { ReviewContext } from '../context.js';
import { isExposedOutside } from '../trust/exposure.js';
import { liveGrants, type GrantInContext } from './helpers.js';

export function outsideGrants(context: ReviewContext): GrantInContext[] {
  return liveGrants(context).filter(({ grant }) => isExposedOutside(grant));
}

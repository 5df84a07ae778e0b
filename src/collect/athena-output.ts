/**
 * Where Athena writes a query's results: a workgroup that enforces its configuration overrides the
 * location the request names; otherwise the configured location, else the workgroup's own. Asked by the
 * check, the "auto" probe and the run alike, so they name the same bucket and the same setting to change.
 */
import type { WorkGroupConfiguration } from '@aws-sdk/client-athena';

export interface ResultLocation {
  /** The s3:// location results go to, when any is named. */
  output?: string;
  /** The workgroup's enforced location, when it enforces one. */
  enforced?: string;
  /** Whether cloudtrail.athena.outputLocation is the one in effect (so it is the setting to change). */
  configured: boolean;
}

export function resultLocation(outputLocation: string | undefined, configuration: WorkGroupConfiguration | undefined): ResultLocation {
  const enforced = configuration?.EnforceWorkGroupConfiguration === true ? configuration.ResultConfiguration?.OutputLocation : undefined;
  const output = enforced ?? outputLocation ?? configuration?.ResultConfiguration?.OutputLocation;
  return { ...(output ? { output } : {}), ...(enforced ? { enforced } : {}), configured: enforced === undefined && outputLocation !== undefined };
}

/** The bucket of an s3:// location. */
export function bucketOf(location: string): string | undefined {
  return /^s3:\/\/([^/]+)/.exec(location)?.[1];
}

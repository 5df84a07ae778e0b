/**
 * "Reads everything": the principal can read the account's data and its configuration broadly, as
 * ReadOnlyAccess does, not merely list and describe it, as ViewOnlyAccess and SecurityAudit do.
 *
 * Precisely, both must hold on every resource:
 * - data: s3:GetObject (the account's stored objects);
 * - breadth: in each core service present in the catalogue, at least half of its Read and List actions.
 *
 * Breadth is judged on core services rather than on the whole catalogue because AWS keeps adding services
 * faster than ReadOnlyAccess follows them: it covers only about half of all Read and List actions, and a
 * catalogue-wide threshold would drift with each data update. IAM is deliberately not a core service:
 * PowerUserAccess reads all the data but not IAM, and for exposure that is reading everything that matters.
 * Alone, s3:Get* on * is not "everything"; it shows up in `sensitiveReads`.
 */
import type { CatalogIndex } from './catalog-index.js';
import { CERTAIN, CONDITIONAL, NONE, type Level } from './types.js';

export const CORE_READ_SERVICES: readonly string[] = [
  'cloudformation',
  'cloudtrail',
  'cloudwatch',
  'dynamodb',
  'ec2',
  'ecs',
  'kms',
  'lambda',
  'logs',
  'rds',
  's3',
  'sns',
  'sqs',
];
export const CORE_READ_SHARE = 0.5;
const DATA_READ_ACTION = 's3:getobject';

export interface ReadVerdict {
  level: Level;
  /** Core services below the share, for evidence when the verdict is no. */
  missing: string[];
}

export function readEverything(index: CatalogIndex, onEveryResource: Uint8Array): ReadVerdict {
  const dataPosition = index.byKey.get(DATA_READ_ACTION);
  const dataLevel = dataPosition === undefined ? NONE : ((onEveryResource[dataPosition] ?? NONE) as Level);
  let level: Level = dataLevel;
  const missing: string[] = [];
  let present = 0;
  for (const service of CORE_READ_SERVICES) {
    const positions = index.byService.get(service);
    if (!positions) continue;
    const reads = positions.filter((i) => {
      const access = index.catalog.actions[i]?.accessLevel;
      return access === 'Read' || access === 'List';
    });
    if (reads.length === 0) continue;
    present++;
    const certain = reads.filter((i) => onEveryResource[i] === CERTAIN).length;
    const possible = reads.filter((i) => (onEveryResource[i] ?? NONE) !== NONE).length;
    if (possible / reads.length < CORE_READ_SHARE) missing.push(service);
    else if (certain / reads.length < CORE_READ_SHARE && level === CERTAIN) level = CONDITIONAL;
  }
  if (present === 0 || missing.length > 0) level = NONE;
  return { level, missing };
}

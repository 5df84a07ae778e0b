/**
 * What to show of a principal's power in a few lines: the actions it may use on every resource, most
 * dangerous first. A service granted whole collapses to "ec2:*"; everything collapses to "*".
 *
 * Order, in three tiers: first what can change who may do what or read the data (actions an escalation
 * method uses, permissions management, data reads, and whole services containing any of those), then other
 * writes, then tagging, reads and lists. Within a tier, the services a reviewer worries about most come
 * first (IAM, STS, Organizations, KMS, ...), then the more dangerous access level, then alphabetical order.
 */
import type { AccessLevel, ActionInfo } from '../../model/action-catalog.js';
import { displayName, type CatalogIndex } from './catalog-index.js';
import { ESCALATION_METHODS } from './escalation-methods.js';
import { NONE } from './types.js';

export const MAX_HIGHLIGHTS = 15;

/** Data-plane reads: with these on every resource, a principal can read the data itself, not just its shape. */
export const SENSITIVE_READS: readonly string[] = [
  's3:GetObject',
  's3:GetObjectVersion',
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'secretsmanager:GetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'kms:Decrypt',
  'lambda:GetFunction',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  'sqs:ReceiveMessage',
  'ecr:GetDownloadUrlForLayer',
  'codecommit:GitPull',
  'athena:GetQueryResults',
];

const SERVICE_PRIORITY: readonly string[] = [
  'iam',
  'sts',
  'organizations',
  'account',
  'kms',
  'secretsmanager',
  'ssm',
  's3',
  'lambda',
  'ec2',
  'cloudformation',
  'dynamodb',
  'rds',
  'ecs',
  'eks',
  'glue',
  'sagemaker',
  'codebuild',
  'cloudtrail',
  'logs',
];

const ESCALATION_ACTIONS = new Set(
  ESCALATION_METHODS.flatMap((m) => m.requires.map((s) => s.action.toLowerCase())),
);
const SENSITIVE = new Set(SENSITIVE_READS.map((a) => a.toLowerCase()));

const LEVEL_RANK: Record<AccessLevel, number> = {
  'Permissions management': 1,
  Write: 3,
  Tagging: 4,
  Read: 5,
  List: 6,
};

function actionRank(info: ActionInfo, key: string): number {
  if (ESCALATION_ACTIONS.has(key)) return 0;
  if (SENSITIVE.has(key)) return 2;
  return LEVEL_RANK[info.accessLevel];
}

function serviceRank(service: string): number {
  const i = SERVICE_PRIORITY.indexOf(service.toLowerCase());
  return i < 0 ? SERVICE_PRIORITY.length : i;
}

interface Entry {
  label: string;
  rank: number;
  service: string;
}

export function highlights(index: CatalogIndex, onEveryResource: Uint8Array): string[] {
  const allowed = (i: number): boolean => (onEveryResource[i] ?? NONE) !== NONE;
  if (index.keys.length > 0 && index.keys.every((_, i) => allowed(i))) return ['*'];
  const entries: Entry[] = [];
  for (const [service, positions] of index.byService) {
    const granted = positions.filter(allowed);
    if (granted.length === 0) continue;
    const ranks = granted.map((i) => {
      const info = index.catalog.actions[i];
      return info ? actionRank(info, index.keys[i] ?? '') : Number.MAX_SAFE_INTEGER;
    });
    if (granted.length === positions.length) {
      const first = index.catalog.actions[positions[0] ?? 0];
      entries.push({ label: `${first?.service ?? service}:*`, rank: Math.min(...ranks), service });
      continue;
    }
    granted.forEach((i, k) => {
      const info = index.catalog.actions[i];
      if (info) entries.push({ label: displayName(info), rank: ranks[k] ?? Number.MAX_SAFE_INTEGER, service });
    });
  }
  const tier = (rank: number): number => (rank <= 2 ? 0 : rank === 3 ? 1 : 2);
  entries.sort(
    (a, b) =>
      tier(a.rank) - tier(b.rank) ||
      serviceRank(a.service) - serviceRank(b.service) ||
      a.rank - b.rank ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  return entries.slice(0, MAX_HIGHLIGHTS).map((e) => e.label);
}

export function sensitiveReads(index: CatalogIndex, onEveryResource: Uint8Array): string[] {
  return SENSITIVE_READS.filter((action) => {
    const i = index.byKey.get(action.toLowerCase());
    return i !== undefined && (onEveryResource[i] ?? NONE) !== NONE;
  });
}

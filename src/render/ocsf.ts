/**
 * findings.ocsf.json: every finding of the review as an OCSF Detection Finding (class 2004), the format
 * Prowler writes by default and SIEMs and data lakes (Security Lake, Splunk, Sentinel) ingest as is.
 * Pure: the review in, plain objects out. Evidence goes to `evidences[].data`; only what OCSF has no
 * attribute for (the trust grant id, the subject within the resource, the suppression's owner and expiry)
 * goes to `unmapped`.
 */
import type { Finding, FindingStatus, Review, Severity } from '../model/review.js';
import { describeResource } from '../model/finding-resource.js';

/** The OCSF release the events follow; schemas/ocsf/ holds the part of it the tests validate against. */
export const OCSF_VERSION = '1.3.0';

const CLASS = { uid: 2004, name: 'Detection Finding' } as const;
const CATEGORY = { uid: 2, name: 'Findings' } as const;
const ACTIVITY = { create: { id: 1, name: 'Create' }, update: { id: 2, name: 'Update' } } as const;

const SEVERITY: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

// An expired suppression makes the finding open again: OCSF's "New" (to be reviewed), not "Suppressed".
const STATUS: Record<FindingStatus, { id: number; name: string }> = {
  open: { id: 1, name: 'New' },
  'suppression-expired': { id: 1, name: 'New' },
  suppressed: { id: 3, name: 'Suppressed' },
};

export interface OcsfDetectionFinding {
  activity_id: number;
  activity_name: string;
  category_uid: number;
  category_name: string;
  class_uid: number;
  class_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  status_detail?: string;
  time: number;
  time_dt: string;
  message: string;
  metadata: {
    version: string;
    profiles: string[];
    product: { name: string; vendor_name: string; version: string; uid: string };
    event_code: string;
    uid: string;
  };
  cloud: { provider: string; account: { uid: string; type: string; type_id: number }; region?: string };
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    types: string[];
    analytic: { uid: string; name: string; type: string; type_id: number };
    created_time?: number;
  };
  resources: { uid: string; name: string; type: string; cloud_partition: string; region?: string }[];
  remediation: { desc: string };
  evidences?: { data: { label: string; value: string } }[];
  risk_score: number;
  unmapped?: Record<string, unknown>;
}

export function toOcsfFinding(f: Finding, review: Review): OcsfDetectionFinding {
  const time = Date.parse(review.generatedAt);
  const isNew = review.changes === undefined || review.changes.newFindings.includes(f.id);
  const activity = isNew ? ACTIVITY.create : ACTIVITY.update;
  const resource = describeResource(f.resource);
  const unmapped: Record<string, unknown> = {
    ...(f.grantId ? { grant_id: f.grantId } : {}),
    ...(f.subject ? { subject: f.subject } : {}),
    ...(f.suppression ? { suppression: { owner: f.suppression.owner, expires: f.suppression.expires, reason: f.suppression.reason } } : {}),
  };
  const statusDetail =
    f.status === 'suppressed' && f.suppression
      ? `Accepted risk: ${f.suppression.reason}`
      : f.status === 'suppression-expired' && f.suppression
        ? `Suppression expired on ${f.suppression.expires}`
        : undefined;
  return {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: CATEGORY.uid,
    category_name: CATEGORY.name,
    class_uid: CLASS.uid,
    class_name: CLASS.name,
    type_uid: CLASS.uid * 100 + activity.id,
    type_name: `${CLASS.name}: ${activity.name}`,
    severity_id: SEVERITY[f.severity].id,
    severity: SEVERITY[f.severity].name,
    status_id: STATUS[f.status].id,
    status: STATUS[f.status].name,
    ...(statusDetail ? { status_detail: statusDetail } : {}),
    time,
    time_dt: new Date(time).toISOString(),
    message: f.message,
    metadata: {
      version: OCSF_VERSION,
      profiles: ['cloud', 'datetime'],
      product: { name: review.tool.name, vendor_name: review.tool.name, version: review.tool.version, uid: review.tool.name },
      event_code: f.ruleId,
      uid: `${review.runId}/${f.id}`,
    },
    cloud: {
      provider: 'AWS',
      account: { uid: f.accountId, type: 'AWS Account', type_id: 10 },
      ...(resource.region ? { region: resource.region } : {}),
    },
    finding_info: {
      uid: f.id,
      title: f.title,
      desc: f.message,
      types: [f.ruleId],
      analytic: { uid: f.ruleId, name: f.ruleId, type: 'Rule', type_id: 1 },
    },
    resources: [
      { uid: resource.uid, name: resource.name, type: resource.cfnType, cloud_partition: resource.partition, ...(resource.region ? { region: resource.region } : {}) },
    ],
    remediation: { desc: f.remediation },
    ...(f.evidence.length > 0 ? { evidences: f.evidence.map((e) => ({ data: { label: e.label, value: e.value } })) } : {}),
    risk_score: Math.round(f.score),
    ...(Object.keys(unmapped).length > 0 ? { unmapped } : {}),
  };
}

/** One event per finding, open and suppressed alike (the status says which), in the review's order. */
export function renderOcsfFindings(review: Review): string {
  return `${JSON.stringify(review.findings.map((f) => toOcsfFinding(f, review)), null, 2)}\n`;
}

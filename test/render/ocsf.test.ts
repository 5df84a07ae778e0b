import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { OCSF_VERSION, renderOcsfFindings, type OcsfDetectionFinding } from '../../src/render/ocsf.js';
import { fixtureReview, PROD } from './fixture-review.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/ocsf/detection_finding-1.3.0.schema.json', import.meta.url), 'utf8')) as object;
// The OCSF export's date-time format is RFC 3339; ajv-formats is not a dependency, so check it by pattern here.
const ajv = new Ajv({ allErrors: true, strict: false, formats: { 'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/ } });
const validate = ajv.compile(schema);

describe('findings.ocsf.json', () => {
  const review = fixtureReview();
  const events = JSON.parse(renderOcsfFindings(review)) as OcsfDetectionFinding[];

  it('holds one OCSF Detection Finding per finding, each valid against the OCSF 1.3.0 class definition', () => {
    expect(events).toHaveLength(review.findings.length);
    expect(review.findings.length).toBeGreaterThan(5);
    for (const e of events) {
      const ok = validate(e);
      expect(ok ? [] : validate.errors).toEqual([]);
    }
    expect(new Set(events.map((e) => e.metadata.version))).toEqual(new Set([OCSF_VERSION]));
  });

  it('maps status, severity, resource, remediation and the rule', () => {
    for (const [i, f] of review.findings.entries()) {
      const e = events[i]!;
      expect(e.finding_info.uid).toBe(f.id);
      expect(e.finding_info.types).toEqual([f.ruleId]);
      expect(e.finding_info.analytic).toEqual({ uid: f.ruleId, name: f.ruleId, type: 'Rule', type_id: 1 });
      expect(e.resources[0]?.uid).toBe(f.resource);
      expect(e.cloud.account.uid).toBe(f.accountId);
      expect(e.remediation.desc).toBe(f.remediation);
      expect(e.severity).toBe({ critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Informational' }[f.severity]);
      expect(e.status_id).toBe(f.status === 'suppressed' ? 3 : 1);
      expect(e.evidences?.map((x) => x.data) ?? []).toEqual(f.evidence.map((x) => ({ label: x.label, value: x.value })));
    }
    const role = events.find((e) => e.resources[0]?.uid.startsWith(`arn:aws:iam::${PROD}:role/`));
    expect(role?.resources[0]).toMatchObject({ type: 'AWS::IAM::Role', cloud_partition: 'aws' });
  });

  it('puts only what OCSF has no attribute for in unmapped', () => {
    const suppressed = review.findings.findIndex((f) => f.status === 'suppressed');
    expect(suppressed).toBeGreaterThanOrEqual(0);
    const e = events[suppressed]!;
    const f = review.findings[suppressed]!;
    expect(e.status).toBe('Suppressed');
    expect(e.status_detail).toBe(`Accepted risk: ${f.suppression?.reason}`);
    expect(e.unmapped?.suppression).toEqual({ owner: f.suppression?.owner, expires: f.suppression?.expires, reason: f.suppression?.reason });
    for (const ev of events) expect(Object.keys(ev.unmapped ?? {}).every((k) => ['grant_id', 'subject', 'suppression'].includes(k))).toBe(true);
  });

  it('the schema kept in the repo rejects what OCSF rejects', () => {
    const e = events[0]!;
    expect(validate({ ...e, severity_id: 7 })).toBe(false);
    expect(validate({ ...e, class_uid: 2001 })).toBe(false);
    const { finding_info: _dropped, ...withoutInfo } = e;
    expect(validate(withoutInfo)).toBe(false);
    expect(validate({ ...e, evidence: [] })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { csvCell, renderFindingsCsv, renderGrantsCsv, toCsv } from '../../src/render/csv.js';
import { FORMULA_TAG_VALUE, HOSTILE_ROLE_NAME, fixtureReview } from './fixture-review.js';

/** A strict RFC 4180 reader, to check that what we write parses back to what we meant. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (field !== '') throw new Error(`quote inside unquoted field at ${i}`);
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else if (ch === '\n' || ch === '\r') {
      throw new Error(`bare line break at ${i}`);
    } else {
      field += ch;
    }
    i += 1;
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length > 0) throw new Error('last record not terminated by CRLF');
  return rows;
}

describe('csvCell', () => {
  it('quotes fields holding a comma, quote, CR or LF and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(true)).toBe('true');
  });

  it('neutralises spreadsheet formulas with a leading apostrophe', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\r=x')).toBe(`"'\r=x"`);
    expect(csvCell('=HYPERLINK("http://e/x","go")')).toBe(`"'=HYPERLINK(""http://e/x"",""go"")"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes CRLF records with a terminating CRLF', () => {
    expect(toCsv(['a', 'b'], [['1', '2']])).toBe('a,b\r\n1,2\r\n');
  });
});

describe('renderFindingsCsv', () => {
  it('writes one row a finding with flattened evidence and suppression', () => {
    const review = fixtureReview();
    const rows = parseCsv(renderFindingsCsv(review));
    const [header, ...body] = rows;
    expect(header).toEqual([
      'finding_id', 'rule_id', 'severity', 'status', 'account_id', 'resource', 'title', 'message', 'evidence',
      'remediation', 'score', 'suppression_owner', 'suppression_expires', 'suppression_reason',
      'owner', 'owner_id', 'owner_source', 'owner_detail',
    ]);
    expect(body).toHaveLength(review.findings.length);
    const pub = body.find((r) => r[0] === 'f-public-trust-1');
    expect(pub?.[5]).toBe(`arn:aws:iam::111122223333:role/${HOSTILE_ROLE_NAME}`);
    expect(pub?.[8]).toBe('Principal: * | Condition: StringLike sts:ExternalId = "*" <img src=x onerror=alert(1)> | Statement: AllowAnyone');
    const vendor = body.find((r) => r[0] === 'f-vendor-read-1');
    expect(vendor?.[3]).toBe('suppressed');
    expect(vendor?.[11]).toBe('security-architecture@acme.example');
    expect(vendor?.[12]).toBe('2026-12-15');
    for (const row of body) expect(row).toHaveLength(header?.length ?? 0);
  });
});

describe('renderGrantsCsv', () => {
  it('writes one row a trust grant with class, guards and usage', () => {
    const review = fixtureReview();
    const rows = parseCsv(renderGrantsCsv(review));
    const [header, ...body] = rows;
    expect(header?.slice(0, 6)).toEqual(['account_id', 'role_name', 'role_arn', 'statement', 'actions', 'principal']);
    expect(body).toHaveLength(review.summary.trustGrants);
    const col = (name: string): number => header?.indexOf(name) ?? -1;
    const dd = body.find((r) => r[col('role_name')] === 'DatadogIntegrationRole');
    expect(dd?.[col('principal_class')]).toBe('known-vendor');
    expect(dd?.[col('vendor')]).toBe('Datadog');
    expect(dd?.[col('guards')]).toBe('external-id StringEquals sts:ExternalId=3f1a9c2e7b5d4e6f8a0b1c2d3e4f5a6b');
    expect(dd?.[col('used')]).toBe('true');
    expect(dd?.[col('use_count')]).toBe('8640');
    const gh = body.find((r) => r[col('role_name')] === 'github-actions-shared');
    expect(gh?.[col('guards')]).toContain('oidc-sub StringLike token.actions.githubusercontent.com:sub=* (ineffective)');
    expect(gh?.[col('effective_guard')]).toBe('true');
    const legacy = body.find((r) => r[col('role_name')] === 'legacy-partner-s3-sync');
    expect(legacy?.[col('used')]).toBe('false');
    expect(legacy?.[col('last_seen')]).toBe('');
    // Statements are numbered from 1, as the console and the finding evidence number them.
    const ddGrant = review.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants)).find((g) => g.roleArn.endsWith('/DatadogIntegrationRole'));
    expect(dd?.[col('statement')]).toBe(String((ddGrant?.statementIndex ?? -2) + 1));
  });

  it('says "unknown", with the reason, where use could not be read, never "false"', () => {
    const review = fixtureReview();
    const grant = review.accounts.flatMap((a) => a.roles.flatMap((r) => r.trustGrants)).find((g) => !g.usage.used);
    if (grant === undefined) throw new Error('fixture has no unused grant');
    grant.usage.state = 'unknown';
    grant.usage.unknownReason = 'CloudTrail could not be read in us-east-1 (AccessDenied)';
    const [header, ...body] = parseCsv(renderGrantsCsv(review));
    const col = (name: string): number => header?.indexOf(name) ?? -1;
    const row = body.find((r) => r[col('role_arn')] === grant.roleArn && r[col('principal')] === grant.principal.raw);
    expect(row?.[col('used')]).toBe('unknown');
    expect(row?.[col('usage_unknown_reason')]).toBe('CloudTrail could not be read in us-east-1 (AccessDenied)');
  });

  it('neutralises a formula smuggled into a role name', () => {
    const review = fixtureReview();
    const role = review.accounts[0]?.roles[0];
    if (role === undefined) throw new Error('fixture has no role');
    role.name = FORMULA_TAG_VALUE;
    const rows = parseCsv(renderGrantsCsv(review));
    expect(rows[1]?.[1]).toBe(`'${FORMULA_TAG_VALUE}`);
  });
});

import { describe, expect, it } from 'vitest';
import { decodePolicyDocument } from '../../src/collect/policy-document.js';

describe('decodePolicyDocument', () => {
  it('decodes the URL-encoded JSON IAM returns', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual({ ok: true, document: doc });
  });

  it('keeps an already-decoded document with a literal percent sign intact', () => {
    const text = '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/100%"}]}';
    expect(decodePolicyDocument(text)).toEqual({ ok: true, document: JSON.parse(text) });
  });

  it('reports bad encoding, bad JSON, non-objects and absence instead of throwing', () => {
    expect(decodePolicyDocument('%E0%A4%A')).toMatchObject({ ok: false, error: expect.stringContaining('not URL-decodable') });
    expect(decodePolicyDocument(encodeURIComponent('{"Statement": ['))).toMatchObject({ ok: false, raw: '{"Statement": [', error: expect.stringContaining('not valid JSON') });
    expect(decodePolicyDocument(encodeURIComponent('[1,2]'))).toMatchObject({ ok: false, error: 'policy document is not a JSON object' });
    expect(decodePolicyDocument(undefined)).toMatchObject({ ok: false, error: 'IAM returned no policy document' });
  });
});

import { describe, expect, it } from 'vitest';
import { evaluateConditions } from '../../../src/analyze/permissions/conditions.js';

const passedTo = (service: string) => ({ 'iam:passedtoservice': service });

describe('evaluateConditions', () => {
  it('decides the keys the context knows, with their operators', () => {
    const block = { StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com'] } };
    expect(evaluateConditions(block, passedTo('lambda.amazonaws.com'))).toBe('true');
    expect(evaluateConditions(block, passedTo('ec2.amazonaws.com'))).toBe('false');
    expect(evaluateConditions({ StringLike: { 'iam:PassedToService': ['*.amazonaws.com'] } }, passedTo('ec2.amazonaws.com'))).toBe('true');
    expect(evaluateConditions({ StringNotEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } }, passedTo('ec2.amazonaws.com'))).toBe(
      'false',
    );
    expect(
      evaluateConditions({ 'ForAnyValue:StringEqualsIfExists': { 'IAM:PassedToService': ['ec2.amazonaws.com'] } }, passedTo('ec2.amazonaws.com')),
    ).toBe('true');
  });

  it('leaves every other key unknown, and one false entry decides', () => {
    expect(evaluateConditions({ Bool: { 'aws:MultiFactorAuthPresent': ['true'] } }, passedTo('ec2.amazonaws.com'))).toBe('unknown');
    expect(
      evaluateConditions(
        {
          Bool: { 'aws:MultiFactorAuthPresent': ['true'] },
          StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com'] },
        },
        passedTo('ec2.amazonaws.com'),
      ),
    ).toBe('false');
    expect(evaluateConditions({}, {})).toBe('true');
  });
});

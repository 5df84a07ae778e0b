import { describe, expect, it } from 'vitest';
import {
  globContains,
  globMatch,
  globsIntersect,
  resourceContains,
  resourceMatch,
  resourcesIntersect,
} from '../../../src/analyze/permissions/glob.js';

describe('globMatch', () => {
  it('matches * and ? as IAM does', () => {
    expect(globMatch('arn:aws:iam::*:role/app-*', 'arn:aws:iam::111122223333:role/app-api')).toBe(true);
    expect(globMatch('arn:aws:iam::*:role/app-*', 'arn:aws:iam::111122223333:role/db')).toBe(false);
    expect(globMatch('s3:get*object', 's3:getobject')).toBe(true);
    expect(globMatch('ec2:describe?pcs', 'ec2:describevpcs')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
  });

  it('is case-sensitive (ARNs are; callers lower-case actions)', () => {
    expect(globMatch('arn:aws:s3:::Bucket', 'arn:aws:s3:::bucket')).toBe(false);
  });
});

describe('globsIntersect', () => {
  it('finds a common string between two patterns', () => {
    expect(globsIntersect('arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:role/lambda-basic-*')).toBe(true);
    // As plain globs they meet ("arn:aws:iam::a:user/b:role/c"); as ARNs they do not, see below.
    expect(globsIntersect('arn:aws:iam::*:role/*', 'arn:aws:iam::*:user/*')).toBe(true);
    expect(globsIntersect('arn:*:lambda:*:*:function:*', 'arn:aws:lambda:eu-west-1:1:function:app-*')).toBe(true);
    expect(globsIntersect('a*b', '*c')).toBe(false);
    expect(globsIntersect('a?c', 'ab*')).toBe(true);
  });

  it('handles three patterns at once', () => {
    expect(globsIntersect('arn:aws:s3:::a*', 'arn:aws:s3:::*z', 'arn:aws:s3:::ab*')).toBe(true);
    expect(globsIntersect('arn:aws:s3:::a*', 'arn:aws:s3:::b*', '*')).toBe(false);
  });
});

describe('globContains', () => {
  it('answers true when every match of the inner pattern matches the outer one', () => {
    expect(globContains('*', 'anything*')).toBe(true);
    expect(globContains('arn:aws:iam::*:role/*', 'arn:aws:iam::1:role/app-*')).toBe(true);
    expect(globContains('arn:aws:iam::*:role/app-*', 'arn:aws:iam::*:role/*')).toBe(false);
    expect(globContains('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket')).toBe(false);
  });

  it('never lets ? absorb a *', () => {
    expect(globContains('a?', 'a*')).toBe(false);
    expect(globContains('a*', 'a?')).toBe(true);
  });
});

describe('ARN-aware resource matching', () => {
  it('keeps wildcards inside their ARN component', () => {
    expect(resourcesIntersect('arn:aws:iam::*:role/*', 'arn:aws:iam::*:user/*')).toBe(false);
    expect(resourceMatch('arn:aws:iam::*:role/*', 'arn:aws:iam::1:user/x:role/y')).toBe(false);
    expect(resourceMatch('arn:aws:lambda:*:*:function:*', 'arn:aws:lambda:eu-west-1:1:function:app:live')).toBe(true);
  });

  it('compares non-ARN patterns as plain globs', () => {
    expect(resourcesIntersect('*', 'arn:aws:iam::*:role/*')).toBe(true);
    expect(resourceContains('*', 'arn:aws:*')).toBe(true);
    expect(resourceContains('arn:aws:iam::*:role/*', 'arn:aws:*')).toBe(false);
  });

  it('contains per component', () => {
    expect(resourceContains('arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:role/app-*')).toBe(true);
    expect(resourceContains('arn:aws:iam::111122223333:role/*', 'arn:aws:iam::*:role/*')).toBe(false);
  });
});

/**
 * The IAM condition operators the emulator's policy checks understand (trust policies on AssumeRole, bucket
 * policies on S3): one implementation, so the emulated services agree with each other. It is the emulator's
 * own, written from the IAM reference, and shares nothing with the product's evaluator under test.
 */

/** `*` and `?` as IAM's *Like operators read them; everything else literal. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/** Whether `operator` holds for the request's value of the key (undefined: the key is absent). */
export function operatorHolds(operator: string, actual: string | undefined, values: readonly string[]): boolean {
  const ifExists = operator.endsWith('IfExists');
  const op = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  if (op === 'Null') return values.some((v) => v.toLowerCase() === 'true') === (actual === undefined);
  if (actual === undefined) return ifExists || op.startsWith('StringNot') || op.startsWith('ArnNot');
  switch (op) {
    case 'StringEquals':
    case 'ArnEquals':
      return values.includes(actual);
    case 'Bool':
    case 'StringEqualsIgnoreCase':
      return values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !values.includes(actual);
    case 'StringLike':
    case 'ArnLike':
      return values.some((v) => wildcardMatch(v, actual));
    case 'StringNotLike':
    case 'ArnNotLike':
      return !values.some((v) => wildcardMatch(v, actual));
    default:
      // An operator the emulator does not model never holds: it grants nothing and denies nothing.
      return false;
  }
}

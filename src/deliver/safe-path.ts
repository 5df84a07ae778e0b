/**
 * Paths built from data (run ids, artifact names, scope ids come from snapshots that may have been edited)
 * must stay inside the folder they are meant for: the schema's patterns are the first guard, this the last.
 */
import path from 'node:path';

export class UnsafePathError extends Error {
  constructor(root: string, segment: string) {
    super(`refusing to write outside ${root}: ${JSON.stringify(segment)} is not a plain file or folder name`);
    this.name = 'UnsafePathError';
  }
}

/** root/segment, where segment must be one plain name: no separator, not "." or "..", no NUL. */
export function childPath(root: string, segment: string): string {
  if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) throw new UnsafePathError(root, segment);
  const resolvedRoot = path.resolve(root);
  const target = path.resolve(resolvedRoot, segment);
  if (path.dirname(target) !== resolvedRoot) throw new UnsafePathError(root, segment);
  return target;
}

/** An S3 key segment under the same rule, so an archive prefix cannot be climbed out of either. */
export function checkKeySegment(prefix: string, segment: string): string {
  if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) throw new UnsafePathError(prefix, segment);
  return segment;
}

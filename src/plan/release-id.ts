import { posix } from 'node:path';
import { AutomatosError } from '../core/index.js';
import type { AppLayout } from './types.js';

// A release id is one path segment we created (releaseIdFor: 20261125T101500.123Z-1a2b3c4); anything
// else (`..`, a slash, a glob, an empty string) must never reach a path on the target.
const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isReleaseId(id: string): boolean {
  return RELEASE_ID.test(id) && id !== '.' && id !== '..';
}

/** `<releasesDir>/<id>`, refusing anything that is not a single safe path segment. */
export function releaseDirOf(layout: AppLayout, id: string): string {
  if (!isReleaseId(id)) {
    throw new AutomatosError(
      'AUT_INVALID_INPUT',
      `${JSON.stringify(id)} is not a release id (letters, digits, '.', '_', '-'; e.g. 20261125T101500Z-1a2b3c4)`,
      { details: { release: id } },
    );
  }
  return posix.join(layout.releasesDir, id);
}

import { fileURLToPath } from 'node:url';

/**
 * The read-only shared data beside the repository (`../shared/data`), wherever the repository is
 * cloned; MRE_SHARED_DATA overrides it.
 */
export const SHARED_DATA: string =
  process.env.MRE_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url));

/** A path inside the shared data. */
export function sharedPath(relative: string): string {
  return `${SHARED_DATA}/${relative}`;
}

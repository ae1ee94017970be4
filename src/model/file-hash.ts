import { createHash } from 'node:crypto';

/** Lower-case hex SHA-256 of some bytes. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

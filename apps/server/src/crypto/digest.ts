/** SHA-256 as hex: how random secrets (API keys, subject tokens) are stored. */
import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

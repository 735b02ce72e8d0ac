import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

// Keys sorted, cycles an error rather than a silent "[Circular]": a fingerprint must never hide input.
const stringify = configure({ deterministic: true, circularValue: TypeError });

/** JSON with object keys sorted, so equal values always serialize to the same bytes. */
export function stableStringify(value: unknown): string {
  return stringify(value) ?? 'undefined';
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function hashOf(value: unknown): string {
  return sha256Hex(stableStringify(value));
}

import bytes from 'bytes-iec';
import { z } from 'zod';

/**
 * Parses sizes such as `64MB`, `1.5 GiB` or a plain number of bytes: kB/MB/GB are powers of
 * 1000 and KiB/MiB/GiB powers of 1024, as the units say (bytes-iec). Negative, fractional-byte
 * and unitless non-numbers are refused.
 */
export function parseBytes(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  if (!/^\s*\d+(?:\.\d+)?\s*[a-zA-Z]*\s*$/.test(value)) return undefined;
  const parsed = bytes.parse(value.trim());
  return parsed === null || !Number.isFinite(parsed) || parsed < 0 ? undefined : Math.floor(parsed);
}

/** `950 B`, `25.71 MB`: decimal units, whole bytes below a kilobyte (rates arrive fractional). */
export function formatBytes(value: number): string {
  return bytes.format(Math.round(value), { mode: 'metric', unitSeparator: ' ', decimalPlaces: 2 }) ?? `${Math.round(value)} B`;
}

/** A zod type for byte sizes written as numbers or strings with a unit. */
export const byteSize = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const parsed = parseBytes(value);
  if (parsed === undefined) {
    const shown = typeof value === 'string' && value.length > 24 ? `${value.slice(0, 24)}…` : value;
    ctx.addIssue({ code: 'custom', message: `expected a size such as 64MB, 1GiB or a number of bytes, got ${JSON.stringify(shown)}` });
    return z.NEVER;
  }
  return parsed;
});

// Without zod: worker threads read this (src/phi, src/signals/registry.ts).
import type { CountryCode } from 'libphonenumber-js';

/**
 * winnow's built-in PHI detectors (src/phi/), by name, and the placeholder types each writes, in the
 * order they run (the order breaks ties between overlapping finds: an earlier type names the merged span).
 */
export const PHI_DETECTORS = {
  contacts: ['URL_PERSONAL', 'EMAIL', 'IP'],
  ids: ['SSN', 'MRN', 'ACCOUNT', 'LICENSE', 'DEVICE', 'ID'],
  names: ['NAME'],
  phones: ['PHONE'],
  addresses: ['ADDRESS'],
  dates: ['DATE'],
  ages: ['AGE'],
} as const;
/** The regions whose national phone formats are read when a PII file names none. */
export const DEFAULT_PHONE_REGIONS: CountryCode[] = ['US', 'GB', 'IE', 'AU', 'NZ', 'IN'];
export type PhiDetectorName = keyof typeof PHI_DETECTORS;
export const PHI_DETECTOR_NAMES = Object.keys(PHI_DETECTORS) as [PhiDetectorName, ...PhiDetectorName[]];

/** The placeholder types of a PII file: its detectors' types, then its patterns' new ones. */
export function piiFileTypes(file: { detectors: readonly PhiDetectorName[]; patterns: readonly { type: string }[] }): string[] {
  return [...new Set([...file.detectors.flatMap((d) => PHI_DETECTORS[d]), ...file.patterns.map((p) => p.type)])];
}


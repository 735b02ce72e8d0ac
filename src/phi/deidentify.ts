import { PHI_DETECTORS, piiFileTypes, type PhiDetectorName } from '../config/phi-detectors.js';
import type { PiiPatternFile } from '../config/ruleset.js';
import type { CountryCode } from 'libphonenumber-js/max';
import { addressDetector } from './addresses.js';
import { ageDetector } from './ages.js';
import { contactDetector } from './contacts.js';
import { dateDetector } from './dates.js';
import { idDetector } from './ids.js';
import { nameDetector } from './names.js';
import { makeRedactor, type RedactorOptions } from './patterns.js';
import { phoneDetector } from './phones.js';
import { mergeSpans, replaceSpans, settle, type Detector, type DocState, type PhiSpan } from './span.js';

export interface Deidentified {
  text: string;
  /** Redactions by type, in the order of `Deidentifier.types`. */
  counts: number[];
  /** What was redacted: type and place in the text given (not the result), in order. */
  spans: PhiSpan[];
}

export interface Deidentifier {
  types: string[];
  redact(text: string): Deidentified;
}

export interface DeidentifierOptions extends RedactorOptions {
  /** Keep organisations' public contacts (the default), or redact every contact. */
  publicContacts?: 'keep' | 'redact';
  /** Only these types (all of the file's when absent). */
  types?: readonly string[];
}

/**
 * A PII file's detectors and patterns as one pass: each finds spans in the same text (detectors in
 * their fixed order, which lets dates and ages ask whether an earlier one found the document to be
 * about a person; then the patterns, in file order), overlapping spans merge, and each span becomes
 * `<TYPE>`. Deterministic: the same text and file give the same result.
 */
export function makeDeidentifier(file: Pick<PiiPatternFile, 'detectors' | 'patterns' | 'phone_regions'>, options: DeidentifierOptions = {}): Deidentifier {
  const wanted = (type: string) => !options.types || options.types.includes(type);
  const types = piiFileTypes(file).filter(wanted);
  const order = Object.keys(PHI_DETECTORS) as PhiDetectorName[];
  const detectors: Detector[] = order.filter((d) => file.detectors.includes(d) && PHI_DETECTORS[d].some(wanted)).map((d) => detector(d, file.phone_regions));
  const patterns = file.patterns.filter((p) => wanted(p.type));
  const redactor = patterns.length > 0 ? makeRedactor(patterns, options) : undefined;
  const rank = new Map(types.map((t, i) => [t, i]));
  // ID, the unlabelled numbers, names a merged span only when nothing else found any of it
  const rankOf = (t: string) => (t === 'ID' ? types.length : (rank.get(t) ?? types.length));
  const slot = new Map(types.map((t, i) => [t, i]));
  const keepPublic = (options.publicContacts ?? 'keep') === 'keep';
  return {
    types,
    redact(text) {
      const found: PhiSpan[] = [];
      const doc: DocState = { nameWords: new Set() };
      for (const d of detectors) d.find(text, found, doc);
      if (found.some((s) => s.kind === undefined)) for (const d of detectors) d.findWeak?.(text, found, doc);
      if (redactor) found.push(...redactor.find(text));
      const counts = new Array<number>(types.length).fill(0);
      if (found.length === 0) return { text, counts, spans: found };
      const settled = settle(found, keepPublic);
      const spans = mergeSpans(options.types ? settled.filter((s) => wanted(s.type)) : settled, rankOf);
      for (const s of spans) counts[slot.get(s.type)!]!++;
      return { text: replaceSpans(text, spans), counts, spans };
    },
  };
}

function detector(name: PhiDetectorName, regions: CountryCode[]): Detector {
  switch (name) {
    case 'contacts':
      return contactDetector;
    case 'ids':
      return idDetector;
    case 'phones':
      return phoneDetector({ regions });
    case 'names':
      return nameDetector;
    case 'addresses':
      return addressDetector;
    case 'dates':
      return dateDetector;
    case 'ages':
      return ageDetector;
  }
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Files a pipeline refers to (rule sets, PII pattern files, models, list files, soon an
 * ontology) are found and hashed one way. A bare name ("basic", "medical") is looked up beside
 * the pipeline, then among the files winnow ships; anything else is a path relative to the
 * referring file. The config hash holds a resource by its content hash, never by where it lives.
 */
export interface ResourceKind {
  /** What the file is, for messages ("rule set", "model"). */
  what: string;
  /** Extensions a bare name may take, in order of preference. */
  extensions: readonly string[];
  /** Where winnow's own files of this kind are. */
  shippedDir?: string;
}

export const isBareName = (ref: string): boolean => /^[A-Za-z0-9_-]+$/.test(ref);

/** The candidates for a reference, in order, and the first that is a file. */
export function findResource(ref: string, base: string, kind: ResourceKind): { found?: string; tried: string[] } {
  const tried = isBareName(ref)
    ? [base, ...(kind.shippedDir ? [kind.shippedDir] : [])].flatMap((dir) => kind.extensions.map((ext) => join(dir, `${ref}${ext}`)))
    : [isAbsolute(ref) ? ref : resolve(base, ref)];
  const found = tried.find((c) => existsSync(c) && statSync(c).isFile());
  return found ? { found, tried } : { tried };
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A file's content hash, or null when it is gone (reported elsewhere, with its key). */
export function contentHash(path: string): string | null {
  return existsSync(path) ? sha256Of(readFileSync(path)) : null;
}

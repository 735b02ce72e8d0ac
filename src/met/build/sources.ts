/**
 * The sources file of `winnow met build`: which ontologies a tree is compiled from, each with its
 * kind, files, node type, origin and licence. Paths are relative to the sources file (or
 * absolute). Problems are reported as one line naming the file, the line and the key.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, WinnowError } from '../../config/errors.js';
import { atLine, type KeyLines } from '../../config/key-lines.js';
import { loadYamlFileWithLines } from '../../config/yaml-file.js';

/** A problem with a sources file or one of its data files: one line, file first. */
export class MetBuildError extends WinnowError {
  override readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'MetBuildError';
  }
}

/** Node types a source may declare (`branch` is winnow's own). */
export const SOURCE_NODE_TYPES = ['disease', 'anatomy', 'symptom', 'modality'] as const;

/** The cross-reference prefixes kept by default: what the gap report shows a data team. */
export const DEFAULT_XREF_PREFIXES = ['MESH', 'ICD10CM', 'ORDO', 'GARD', 'UMLS_CUI'];

const path = z.string().min(1);
const sourceName = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'source names are lower case: letters, digits, - and _');

const common = {
  name: sourceName,
  description: z.string().min(1),
  /** Repository and commit, or URL, and the data version. */
  origin: z.string().min(1),
  licence: z.string().min(1),
  type: z.enum(SOURCE_NODE_TYPES),
  /**
   * The node this source's roots hang under: by default the branch root of its type (MET:diseases,
   * ...), for mondo-rare the branch of entries that match no node (MET:rare-not-in-doid).
   */
  parent: z.string().min(1).optional(),
};

/**
 * Which OBO synonyms become names: EXACT always; RELATED never (`none`), all of them (`all`), or
 * only those that reword a kept name (`rewordings`: the same words in another order, or its
 * initials). NARROW and BROAD never: they name other concepts.
 */
const related = z.enum(['none', 'rewordings', 'all']);
const xrefPrefixes = z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/)).optional();
const definitions = z.union([z.boolean(), z.number().int().positive()]).optional();

const doidSource = z
  .object({
    ...common,
    kind: z.literal('doid'),
    files: z
      .object({
        /** HumanDO.tsv: id, label, parent label (a row per parent). */
        hierarchy: path,
        /** OBO files with full entries (labels, synonyms, definitions, xrefs), united by id. */
        terms: z.array(path).min(1),
        /** An OBO file whose terms are the rare diseases (DO_rare_slim.obo). */
        rare: path.optional(),
        /** allXREFinDO.tsv: id, label, xref. */
        xrefs: path.optional(),
      })
      .strict(),
    related: related.default('none'),
    xref_prefixes: xrefPrefixes,
    definitions,
    /** Derive symptom nodes from the definitions' "has_symptom X" phrases. */
    symptoms: z.boolean().default(false),
  })
  .strict();

const mondoRareSource = z
  .object({
    ...common,
    kind: z.literal('mondo-rare'),
    /** A TSV of id, label and pipe-separated synonyms. */
    files: z.array(path).min(1),
    /** The source whose nodes the entries attach to (a doid source); by default the first doid source. */
    attach_to: sourceName.optional(),
  })
  .strict();

const oboSource = z
  .object({
    ...common,
    kind: z.literal('obo'),
    files: z.array(path).min(1),
    /** Keep only terms whose id starts with one of these prefixes ("UBERON" keeps UBERON:...). */
    id_prefix: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    related: related.default('none'),
    xref_prefixes: xrefPrefixes,
    definitions,
    /** Terms in this OBO subset are rare. */
    rare_subset: z.string().min(1).optional(),
  })
  .strict();

const tsvSource = z
  .object({
    ...common,
    kind: z.literal('tsv'),
    /** TSVs with a header: id, label, and optionally synonyms, parents, xrefs (pipe-separated), definition, rare. */
    files: z.array(path).min(1),
  })
  .strict();

const source = z.discriminatedUnion('kind', [doidSource, mondoRareSource, oboSource, tsvSource]);

export const sourcesFileSchema = z
  .object({
    /** The tree's name, written into it. */
    name: z.string().min(1),
    description: z.string().optional(),
    /** The list of ambiguous names (one a line, `#` comments), relative to this file. */
    ambiguous: path.optional(),
    sources: z.array(source).min(1),
  })
  .strict();

export type SourcesFile = z.infer<typeof sourcesFileSchema>;
export type SourceSpec = SourcesFile['sources'][number];
export type DoidSpec = z.infer<typeof doidSource>;
export type MondoRareSpec = z.infer<typeof mondoRareSource>;
export type OboSpec = z.infer<typeof oboSource>;
export type TsvSpec = z.infer<typeof tsvSource>;

/** An input file read once: its path as written, where it is, its text and sha256. */
export interface InputFile {
  /** As written in the sources file: what the tree records. */
  path: string;
  abs: string;
  text: string;
  sha256: string;
}

export interface LoadedSources {
  file: string;
  spec: SourcesFile;
  lines: KeyLines;
  /** Reads a file named at `key` ("sources.0.files.terms.3"), relative to the sources file. */
  read(path: string, key: string): InputFile;
  /** Where a key is written: "sources.yaml: line 12: sources.0.files" */
  at(key: string): string;
}

export function loadSources(file: string): LoadedSources {
  let loaded: { data: SourcesFile; lines: KeyLines };
  try {
    loaded = loadYamlFileWithLines(file, sourcesFileSchema, 'entity-tree sources');
  } catch (err) {
    if (err instanceof ConfigError) throw new MetBuildError(`${err.file}: ${err.problems.join('; ')}`);
    throw err;
  }
  const { data: spec, lines } = loaded;
  const base = dirname(file);
  const at = (key: string): string => `${file}: ${atLine(lines, key)}${key}`;
  const names = new Set<string>();
  spec.sources.forEach((s, i) => {
    if (names.has(s.name)) throw new MetBuildError(`${at(`sources.${i}.name`)}: another source is also named "${s.name}"`);
    names.add(s.name);
  });
  const cache = new Map<string, InputFile>();
  const read = (p: string, key: string): InputFile => {
    const abs = isAbsolute(p) ? p : resolve(base, p);
    const hit = cache.get(abs);
    if (hit) return hit;
    let bytes: Buffer;
    try {
      bytes = readFileSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new MetBuildError(`${at(key)}: cannot read ${p}${code ? ` (${code})` : ''}`);
    }
    const f: InputFile = { path: p, abs, text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
    cache.set(abs, f);
    return f;
  };
  return { file, spec, lines, read, at };
}

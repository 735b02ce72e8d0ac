import { z } from 'zod';
import { byteSize } from './bytes.js';
import { modelEntrySchema } from './models.js';
import { MAX_WORKERS } from './limits.js';

const columnName = z.string().min(1);

export const ON_ERROR = ['fail', 'skip'] as const;
export const BAD_ROWS = ['fail', 'reject'] as const;

const inputSchema = z
  .object({
    /** A folder (all *.parquet below it), one file, or a glob. Relative to the pipeline file. */
    path: z.string().min(1),
    columns: z
      .object({
        text: columnName.default('text'),
        id: columnName.optional(),
        url: columnName.optional(),
        source: columnName.optional(),
      })
      .strict()
      .default({ text: 'text' }),
    /** A shard that cannot be read (corrupt, truncated, missing column): stop the run, or skip it and record it. */
    on_error: z.enum(ON_ERROR).default('fail'),
    /** A row with null text or text over max_text_bytes: stop the run, or reject the row with reason `bad_input`. */
    bad_rows: z.enum(BAD_ROWS).default('fail'),
    max_text_bytes: byteSize.default(16 * 2 ** 20),
  })
  .strict();

const normalizeSchema = z
  .object({
    fix_mojibake: z.boolean().default(true),
    unicode: z.enum(['NFC', 'NFKC', 'none']).default('NFC'),
    line_endings: z.boolean().default(true),
    /** Control (C0, C1) and zero-width characters. */
    remove_invisible: z.boolean().default(true),
    /** Wide spaces to " ", and runs of spaces inside a line to one. */
    spaces: z.boolean().default(true),
    trailing_whitespace: z.boolean().default(true),
    /** Runs of blank lines longer than this are shortened to it; `none`: no limit. */
    max_blank_lines: z.union([z.number().int().min(0), z.literal('none')]).default(1),
  })
  .strict();

/** C4's line-level cleanup (src/text/c4-lines.ts); the C4 signals follow these settings. */
const c4Schema = z
  .object({
    /** Replace the text with the lines the C4 rules keep. Off: the C4 signals are measured, the text is kept. */
    rewrite: z.boolean().default(false),
    remove_citations: z.boolean().default(true),
    /** Drop lines without terminal punctuation (C4's paper: on; FineWeb ran C4 with it off). */
    terminal_punctuation: z.boolean().default(true),
    min_words_per_line: z.number().int().min(0).default(3),
    /** 0 turns the check off. */
    max_word_length: z.number().int().min(0).default(1000),
    javascript: z.boolean().default(true),
    policy: z.boolean().default(true),
  })
  .strict();

const piiSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** A pattern file (relative to the pipeline) or the name of one shipped in winnow's rules/. */
    patterns: z.string().min(1).default('pii'),
    /** Only these placeholder types; all types of the file when absent. */
    types: z.array(z.string()).optional(),
    /**
     * `keep`: organisations' hotlines, mailboxes, sites and offices stay (docs/pii.md says how they
     * are told apart); `redact`: every phone number, e-mail address and address is redacted.
     */
    public_contacts: z.enum(['keep', 'redact']).default('keep'),
  })
  .strict();

export const FINEWEB_DEFINITIONS = ['fineweb', 'fineweb-2'] as const;
export type FinewebDefinition = (typeof FINEWEB_DEFINITIONS)[number];

export const SIGNAL_FAMILIES = ['gopher_quality', 'gopher_repetition', 'c4', 'c4_badwords', 'fineweb', 'language', 'url', 'met'] as const;
export type SignalFamilyName = (typeof SIGNAL_FAMILIES)[number];

const signalsSchema = z
  .object({
    /** Families computed besides the core counts and hash; every rule's signal must come from one. */
    families: z.array(z.enum(SIGNAL_FAMILIES)).default(['gopher_quality', 'gopher_repetition', 'c4', 'fineweb', 'language', 'url']),
    language: z
      .object({
        backend: z.enum(['fasttext', 'franc']).default('fasttext'),
        /** Characters of the text given to the identifier (newlines become spaces first). */
        max_chars: z.number().int().min(1).default(100_000),
      })
      .strict()
      .default({ backend: 'fasttext', max_chars: 100_000 }),
    badwords: z
      .object({ language: z.string().default('en') })
      .strict()
      .default({ language: 'en' }),
    /**
     * How FineWeb's line rules count lines (src/signals/fineweb.ts, docs/rules.md): as the
     * published FineWeb data was made (`fineweb`), or as datatrove does since FineWeb-2
     * (`fineweb-2`: blank lines left out, every script's sentence ends; rules/fineweb-2.yaml).
     */
    fineweb: z
      .object({ definition: z.enum(FINEWEB_DEFINITIONS).default('fineweb') })
      .strict()
      .default({ definition: 'fineweb' }),
    /** fastText classifiers, each scored into a signal of its name (src/signals/model-score.ts). */
    models: z
      .array(modelEntrySchema)
      .default([])
      .superRefine((models, ctx) => {
        const seen = new Set<string>();
        models.forEach((m, i) => {
          if (seen.has(m.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `model name "${m.name}" is used twice` });
          seen.add(m.name);
        });
      }),
  })
  .strict();

/** The Medical Entity Tree (docs/met.md): the tree the `met` signal family tags with, and what a run reports of it. */
const metSchema = z
  .object({
    /** A tree file from `winnow met build`: a bare name (beside the pipeline, or shipped in fixtures/met/) or a path. */
    tree: z.string().min(1).default('met'),
    /** A node with fewer kept documents than this is thin: the gap report lists it, coverage counts it as not yet covered well. */
    thin_documents: z.number().int().min(1).default(10),
    /** Rows of met-gaps.csv/.json at most (rare diseases and branches, most important first). */
    gap_rows: z.number().int().min(1).default(1000),
    /** A `weight` column in curated rows that flattens the distribution of nodes (src/met/weights.ts, docs/met.md). */
    weights: z
      .object({
        enabled: z.boolean().default(false),
        /** Nodes are sampled in proportion to frequency^temperature: 1 leaves the corpus as it is, 0 makes every node alike. */
        temperature: z.number().min(0).max(1).default(0.5),
        /** No document weighs more than this: repeated at most this many times. */
        max_repeat: z.number().min(1).max(1000).default(4),
        /** No document weighs less than this: how far the head may be downsampled. */
        min_weight: z.number().gt(0).max(1).default(0.25),
      })
      .strict()
      .default({ enabled: false, temperature: 0.5, max_repeat: 4, min_weight: 0.25 }),
  })
  .strict();

/** MinHash + LSH near-duplicate detection (FineWeb's defaults: 5-word shingles, 14 bands of 8 rows). */
const nearDedupSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Words per shingle. */
    shingle: z.number().int().min(1).max(32).default(5),
    bands: z.number().int().min(1).max(64).default(14),
    rows: z.number().int().min(1).max(32).default(8),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /** Jaccard similarity of shingle sets a candidate pair must reach to be linked (see `verify`). */
    threshold: z.number().min(0).max(1).default(0.8),
    /**
     * How candidate pairs (documents sharing a band) are checked against `threshold`:
     *  - exact: the exact Jaccard similarity of their shingle sets, from their texts (pairs whose
     *    signatures agree on less than threshold - 0.2 are dropped first, which loses a true pair
     *    with odds below one in a million);
     *  - signature: the share of equal signature positions, an estimate (about +-0.04 at 0.8);
     *  - none: sharing a band links a pair, as FineWeb did.
     */
    verify: z.enum(['exact', 'signature', 'none']).default('exact'),
    /** Which document of a cluster is kept: the longest (then the first), or the first, in (shard, row) order. */
    keep: z.enum(['longest', 'first']).default('longest'),
    /** Band-key partitions of the global phase; each is one task. */
    partitions: z.number().int().min(1).max(4096).default(4),
  })
  .strict();

/** Lines (or paragraphs) repeated across many documents: site boilerplate, e-mail footers, templates. */
const linesDedupSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** What is counted: lines, or paragraphs (text between blank lines). */
    unit: z.enum(['line', 'paragraph']).default('line'),
    /** A line found in more than this many documents is boilerplate, removed from each of them. */
    max_documents: z.number().int().min(1).default(20),
    /** Lines shorter than this (in characters, once normalized) are never counted nor removed. */
    min_chars: z.number().int().min(1).default(20),
    /** Keep the first occurrence (in the document with the lowest key), removing only the repeats. */
    keep_first: z.boolean().default(false),
    /** A document left with fewer words than this is dropped (rule `boilerplate_only`). */
    min_words: z.number().int().min(0).default(1),
    /** Line-hash partitions of the global phase; each is one task. */
    partitions: z.number().int().min(1).max(4096).default(4),
  })
  .strict();

const dedupSchema = z
  .object({
    exact: z
      .object({
        enabled: z.boolean().default(true),
        /** Hash-range partitions of the global phase; each is one task. */
        partitions: z.number().int().min(1).max(4096).default(4),
      })
      .strict()
      .default({ enabled: true, partitions: 4 }),
    near: nearDedupSchema.default(nearDedupSchema.parse({})),
    lines: linesDedupSchema.default(linesDedupSchema.parse({})),
  })
  .strict();

const outputSchema = z
  .object({
    path: z.string().min(1).optional(),
    /** A new output file starts once one passes this size (checked between DuckDB's write batches). */
    target_file_bytes: byteSize.default(256e6),
    row_group_rows: z.number().int().min(1).max(1_000_000).default(10_000),
    /** Signal columns copied into curated rows. */
    curated_signals: z.array(z.string()).default([]),
    /** Keep the normalized text of rejected rows, for audit. */
    rejected_text: z.boolean().default(false),
    /** Draw report.html at the end of a run (a local run folder): charts and samples in one self-contained page. */
    report: z.boolean().default(true),
  })
  .strict();


const executionSchema = z
  .object({
    workers: z.number().int().min(1).max(MAX_WORKERS).optional(),
    /** DuckDB memory budget per worker; larger work spills to the run's work folder. */
    memory_per_worker: byteSize.default(1e9),
    /**
     * Text (uncompressed, by the footers) of the row groups one annotate task reads: a larger shard
     * is split into parts at row-group boundaries, spread over workers and cluster tasks, and a
     * killed run redoes only unfinished parts. Outputs do not depend on it.
     */
    part_bytes: byteSize.default(64 * 2 ** 20),
  })
  .strict();

export const pipelineSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, ".", "_" and "-"'),
    description: z.string().optional(),
    input: inputSchema,
    normalize: normalizeSchema.default(normalizeSchema.parse({})),
    c4: c4Schema.default(c4Schema.parse({})),
    pii: piiSchema.default(piiSchema.parse({})),
    signals: signalsSchema.default(signalsSchema.parse({})),
    dedup: dedupSchema.default(dedupSchema.parse({})),
    met: metSchema.default(metSchema.parse({})),
    /** Rule-set files (relative to the pipeline file) or names of rule sets shipped in winnow's rules/. */
    rules: z.array(z.string().min(1)).default([]),
    output: outputSchema.default(outputSchema.parse({})),
    execution: executionSchema.default(executionSchema.parse({})),
  })
  .strict();

export type PipelineFile = z.infer<typeof pipelineSchema>;
export type NormalizeConfig = PipelineFile['normalize'];
export type SignalsConfig = PipelineFile['signals'];
export type NearDedupConfig = PipelineFile['dedup']['near'];
export type LinesDedupConfig = PipelineFile['dedup']['lines'];
export type MetConfig = PipelineFile['met'];

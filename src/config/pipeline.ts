import { z } from 'zod';
import { byteSize } from './bytes.js';

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
    unicode: z.enum(['NFC', 'NFKC', 'none']).default('NFC'),
    line_endings: z.boolean().default(true),
    trailing_whitespace: z.boolean().default(true),
    /** Runs of blank lines longer than this are shortened to it. */
    max_blank_lines: z.number().int().min(0).default(1),
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
  })
  .strict();

const executionSchema = z
  .object({
    workers: z.number().int().min(1).max(512).optional(),
    /** DuckDB memory budget per worker; larger work spills to the run's work folder. */
    memory_per_worker: byteSize.default(1e9),
  })
  .strict();

export const pipelineSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, ".", "_" and "-"'),
    description: z.string().optional(),
    input: inputSchema,
    normalize: normalizeSchema.default(normalizeSchema.parse({})),
    dedup: dedupSchema.default(dedupSchema.parse({})),
    /** Rule-set files (relative to the pipeline file) or names of rule sets shipped in winnow's rules/. */
    rules: z.array(z.string().min(1)).default([]),
    output: outputSchema.default(outputSchema.parse({})),
    execution: executionSchema.default(executionSchema.parse({})),
  })
  .strict();

export type PipelineFile = z.infer<typeof pipelineSchema>;
export type InputConfig = PipelineFile['input'];
export type NormalizeConfig = PipelineFile['normalize'];
export type OutputConfig = PipelineFile['output'];

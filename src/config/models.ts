import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LABEL_PREFIX } from './fasttext-label.js';
import { findResource, sha256Of, type ResourceKind } from './resources.js';
import { PACKAGE_ROOT } from './version.js';

/** How a document becomes the line a fastText model reads (src/models/preprocess.ts). */
export const preprocessingSchema = z
  .object({
    lowercase: z.boolean(),
    /** Characters of the text the model reads. */
    max_chars: z.number().int().min(1),
  })
  .strict();
export type Preprocessing = z.infer<typeof preprocessingSchema>;

/** For a model with no card and nothing set in the pipeline: the whole text (up to 100,000 characters), case kept, as datatrove scores. */
export const PREPROCESSING_DEFAULTS: Preprocessing = { lowercase: false, max_chars: 100_000 };

/**
 * A fastText classifier scored in annotate: its signal (`name`) is the probability of `label`.
 * Preprocessing not set here comes from the model's card (`<model>.card.json`), else the defaults.
 */
export const modelEntrySchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'model names are signal names: snake_case letters, digits and _'),
    /** A `.bin`/`.ftz` file, relative to the pipeline file, or the name of one shipped in winnow's fixtures/models/. */
    path: z.string().min(1),
    /** The label whose probability is the score, with or without fastText's `__label__` prefix. */
    label: z.string().min(1),
    lowercase: z.boolean().optional(),
    max_chars: z.number().int().min(1).optional(),
    description: z.string().optional(),
  })
  .strict();
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export interface ResolvedModel {
  name: string;
  /** Absolute. */
  path: string;
  /** With the `__label__` prefix. */
  label: string;
  preprocessing: Preprocessing;
  /** Where each preprocessing setting came from. */
  preprocessing_from: 'pipeline' | 'card' | 'defaults' | 'pipeline and card' | 'pipeline and defaults';
  bytes: number;
  sha256: string;
  /** The model's card, when it has one (absolute). */
  card?: string;
  description?: string;
}

export const SHIPPED_MODELS_DIR = join(PACKAGE_ROOT, 'fixtures', 'models');

export const cardPaths = (modelFile: string) => {
  const stem = modelFile.replace(/\.(ftz|bin)$/i, '');
  return { json: `${stem}.card.json`, markdown: `${stem}.card.md` };
};

const MODEL_FILES: ResourceKind = { what: 'model', extensions: ['.ftz', '.bin'], shippedDir: SHIPPED_MODELS_DIR };

/** Finds a model file: a path relative to the pipeline, or a bare name ("medical") shipped in fixtures/models/. */
export function findModelFile(ref: string, base: string): { found?: string; tried: string[] } {
  return findResource(ref, base, MODEL_FILES);
}

/** The preprocessing a model's card records; undefined without a card. Throws with the card's name when it is unreadable. */
export function cardPreprocessing(modelFile: string): { card: string; preprocessing: Preprocessing } | undefined {
  const card = cardPaths(modelFile).json;
  if (!existsSync(card)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(card, 'utf8'));
  } catch (err) {
    throw new Error(`${card}: not JSON (${(err as Error).message})`);
  }
  const result = z.object({ preprocessing: preprocessingSchema }).safeParse(parsed);
  if (!result.success) throw new Error(`${card}: no valid "preprocessing" ({lowercase, max_chars})`);
  return { card, preprocessing: result.data.preprocessing };
}

export function resolveModel(entry: ModelEntry, file: string): ResolvedModel {
  const bytes = readFileSync(file);
  const fromCard = cardPreprocessing(file);
  const set = { lowercase: entry.lowercase, max_chars: entry.max_chars };
  const base = fromCard?.preprocessing ?? PREPROCESSING_DEFAULTS;
  const preprocessing = { lowercase: set.lowercase ?? base.lowercase, max_chars: set.max_chars ?? base.max_chars };
  const fromPipeline = set.lowercase !== undefined || set.max_chars !== undefined;
  const complete = set.lowercase !== undefined && set.max_chars !== undefined;
  const rest = fromCard ? 'card' : 'defaults';
  return {
    name: entry.name,
    path: file,
    label: entry.label.startsWith(LABEL_PREFIX) ? entry.label : `${LABEL_PREFIX}${entry.label}`,
    preprocessing,
    preprocessing_from: complete ? 'pipeline' : fromPipeline ? `pipeline and ${rest}` : rest,
    bytes: bytes.length,
    sha256: sha256Of(bytes),
    ...(fromCard ? { card: fromCard.card } : {}),
    ...(entry.description ? { description: entry.description } : {}),
  };
}


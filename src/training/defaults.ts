import type { Preprocessing } from '../config/models.js';
import type { TrainParams } from '../models/fasttext-train.js';
import type { QuantizeOptions } from '../models/quantize.js';

/**
 * `winnow train-classifier`'s defaults, also used for the shipped models. fastText's own defaults
 * for supervised learning are lr 0.1, dim 100, epoch 5, word n-grams 1; these suit binary
 * document classifiers trained on thousands to hundreds of thousands of documents: word bigrams
 * (as DCLM's quality classifier), a small dimension (two labels need little), and a hashed bigram
 * table of 200,000 buckets. Quantization keeps the 100,000 input rows of largest norm.
 */
export const DEFAULT_TRAINING: {
  holdout: number;
  seed: number;
  threshold: number;
  preprocessing: Preprocessing;
  fasttext: TrainParams;
  quantize: QuantizeOptions;
} = {
  holdout: 0.1,
  seed: 1,
  threshold: 0.5,
  preprocessing: { lowercase: true, max_chars: 10_000 },
  fasttext: { lr: 0.5, dim: 32, epoch: 5, minCount: 2, wordNgrams: 2, bucket: 200_000, lrUpdateRate: 100, seed: 1 },
  quantize: { cutoff: 100_000, dsub: 2, qnorm: true, seed: 1234 },
};

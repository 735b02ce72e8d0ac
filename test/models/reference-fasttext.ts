import { getFastTextModule, getLIDModel } from 'fasttext.wasm.js';
import { modelLabels, readModelHead } from '../../src/models/fasttext-file.js';

/**
 * fastText itself (0.9, compiled to WebAssembly by fasttext.wasm.js): what winnow scored with
 * before its own kernel (src/models/fasttext-model.ts), kept as the reference the kernel must
 * match, label for label and probability for probability. Each classifier gets a module instance
 * of its own (its own memory and in-memory file system).
 */
interface PredictionVector {
  size(): number;
  get(i: number): [number, string];
  delete(): void;
}

export interface ReferenceClassifier {
  readonly labels: readonly string[];
  /** Every label's probability for one line (fastText's predict, k = all, threshold 0), clamped to [0, 1]; a label fastText leaves out gets 0. */
  predict(line: string): Float64Array;
}

export async function referenceClassifier(bytes: Uint8Array): Promise<ReferenceClassifier> {
  const labels = modelLabels(readModelHead(bytes));
  const module = await getFastTextModule();
  const native = new module.FastText();
  module.FS.writeFile('model.bin', bytes);
  native.loadModel('model.bin');
  module.FS.unlink('model.bin');
  const index = new Map(labels.map((l, i) => [l, i]));
  return {
    labels,
    predict(line) {
      const probabilities = new Float64Array(labels.length);
      const found = native.predict(line, -1, 0) as unknown as PredictionVector;
      try {
        for (let i = 0; i < found.size(); i++) {
          const [p, label] = found.get(i);
          probabilities[index.get(label)!] = Math.min(1, Math.max(0, p));
        }
      } finally {
        found.delete();
      }
      return probabilities;
    },
  };
}

/** lid.176 through fastText itself: the top label and its probability (k = 1, threshold 0), or null. */
export async function referenceLanguage(): Promise<(line: string) => { label: string; probability: number } | null> {
  const model = await (await getLIDModel()).load();
  return (line) => {
    const found = model.predict(line, 1, 0) as unknown as PredictionVector;
    try {
      if (found.size() === 0) return null;
      const [probability, label] = found.get(0);
      return { label, probability };
    } finally {
      found.delete();
    }
  };
}

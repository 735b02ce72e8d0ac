import { getFastTextModule } from 'fasttext.wasm.js';
import { modelLabels, readModelHead } from './fasttext-file.js';

/**
 * fastText itself (0.9, compiled to WebAssembly by fasttext.wasm.js), for scoring.
 * Each classifier gets a module instance of its own: its own memory and its own in-memory file
 * system, so models never share state. A pipeline's model files are read whole by winnow's own
 * reader before any work starts (src/execution/check.ts), so the C++ loader never sees a malformed
 * file; loading reads only the header and dictionary again, for the labels.
 */
interface PredictionVector {
  size(): number;
  get(i: number): [number, string];
  delete(): void;
}

export interface FastTextClassifier {
  /** The model's labels, in output order ("__label__medical", ...). */
  readonly labels: readonly string[];
  /**
   * The probability of every label for one line of text (no newlines: fastText stops at the first),
   * in the order of `labels`. fastText adds 1e-5 to probabilities before taking logs; the values
   * are given back as fastText computes them, clamped to [0, 1].
   */
  predict(line: string): Float64Array;
}

export async function loadClassifier(bytes: Uint8Array): Promise<FastTextClassifier> {
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
        // Predictions live in WebAssembly memory until deleted.
        found.delete();
      }
      return probabilities;
    },
  };
}

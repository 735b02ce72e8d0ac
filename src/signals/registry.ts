import type { ColumnType } from '../io/parquet-writer.js';
import { contentHash } from './content-hash.js';
import { byteCount, charCount, lineCount, wordCount } from './counts.js';
import type { Signal } from './signal.js';

/**
 * Every signal annotate computes, in column order. Adding a signal is a module exporting a
 * `Signal` and one entry here.
 */
export const SIGNALS: readonly Signal[] = [charCount, wordCount, lineCount, byteCount, contentHash];

export async function prepareSignals(signals: readonly Signal[] = SIGNALS): Promise<readonly Signal[]> {
  for (const s of signals) await s.prepare?.();
  return signals;
}

/**
 * The columns of a signals file that rules may compare: the signals, plus the document's url
 * and source when the pipeline maps those columns.
 */
export function ruleColumns(options: { url: boolean; source: boolean }): Map<string, ColumnType> {
  const columns = new Map<string, ColumnType>(SIGNALS.map((s) => [s.name, s.type]));
  if (options.url) columns.set('url', 'VARCHAR');
  if (options.source) columns.set('source', 'VARCHAR');
  return columns;
}

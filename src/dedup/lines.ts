import type { LinesDedupConfig } from '../config/pipeline.js';
import { sqlFileList, sqlString } from '../io/duckdb.js';
import { NODE } from './near.js';

/**
 * Boilerplate lines (or paragraphs): units of text found in more than `max_documents` documents
 * of the corpus, such as site navigation, e-mail footers and templated paragraphs, removed from
 * every document that has them. All in SQL over the final texts, so the global count and the
 * per-shard removal use the same split, normalization and hash (DuckDB's 64-bit `hash`):
 *  - a unit is a line (split at "\n") or a paragraph (split at "\n\n": normalized text has single
 *    blank lines between paragraphs);
 *  - it is compared trimmed, with runs of whitespace as one space; units shorter than `min_chars`
 *    are never counted (short lines such as "Thanks," or a heading are too common to mean a template);
 *  - with `keep_first`, the document with the lowest key keeps its occurrence.
 */

const separator = (config: LinesDedupConfig): string => sqlString(config.unit === 'line' ? '\n' : '\n\n');

/** A document's units with their position, normalized form and hash, from a relation of (shard, row, text). */
function unitsSql(relation: string, config: LinesDedupConfig): string {
  return `
    SELECT shard, "row", ${NODE('shard', '"row"')} AS node, no, unit, norm, hash(norm) AS h
    FROM (
      SELECT shard, "row", no, unit, trim(regexp_replace(unit, '\\s+', ' ', 'g')) AS norm
      FROM (
        SELECT shard, "row", unnest(parts) AS unit, unnest(range(1, len(parts) + 1)) AS no
        FROM (SELECT shard, "row", string_split(text, ${separator(config)}) AS parts FROM ${relation} WHERE text IS NOT NULL)
      )
    )`;
}

/** The boilerplate units whose hash falls in one partition: hash, the unit, its document count and first document. */
export function boilerplateQuery(signalFiles: readonly string[], config: LinesDedupConfig, partition: number, partitions: number): string {
  const units = unitsSql(`read_parquet(${sqlFileList(signalFiles)})`, config);
  return `
    SELECT h AS hash, min(norm) AS unit, count(DISTINCT node) AS documents, min(node) AS first_node
    FROM (${units}) WHERE length(norm) >= ${config.min_chars} AND h % ${partitions} = ${partition}
    GROUP BY h HAVING count(DISTINCT node) > ${config.max_documents}
    ORDER BY h`;
}

/**
 * The documents of a relation (shard, row, text) that lose units, with their text rebuilt from
 * the units kept, the number of units and characters removed, and the hashes of the units removed.
 * Units are put back in order by sorting each document's list, not by ordered aggregates
 * (string_agg ... ORDER BY), whose per-group sort state ran a worker of 1 GB out of memory on a
 * shard of 31k documents (bench/report.ts).
 */
export function cleanedTextsQuery(relation: string, boilerplateFiles: readonly string[], config: LinesDedupConfig): string {
  const units = unitsSql(relation, config);
  const keepFirst = config.keep_first ? ' AND b.first_node <> u.node' : '';
  return `
    WITH marked AS (
      SELECT u.*, (b.hash IS NOT NULL AND length(u.norm) >= ${config.min_chars}${keepFirst}) AS removed
      FROM (${units}) u LEFT JOIN read_parquet(${sqlFileList(boilerplateFiles)}) b ON b.hash = u.h
    ),
    touched AS (SELECT DISTINCT "row" FROM marked WHERE removed)
    SELECT "row",
      trim(coalesce(array_to_string(list_transform(list_sort(list({'no': no, 'unit': unit}) FILTER (WHERE NOT removed)), x -> x.unit), ${separator(config)}), ''), chr(10)) AS text,
      count(*) FILTER (WHERE removed) AS boilerplate_units,
      sum(length(unit)) FILTER (WHERE removed) AS boilerplate_chars,
      list_transform(list_sort(list({'no': no, 'h': h}) FILTER (WHERE removed)), x -> x.h) AS boilerplate_removed
    FROM marked WHERE "row" IN (SELECT "row" FROM touched)
    GROUP BY "row"`;
}

/** Whitespace-separated words of a SQL text expression. */
export const wordsSql = (text: string): string => `CASE WHEN trim(${text}) = '' THEN 0 ELSE len(string_split_regex(trim(${text}), '\\s+')) END`;

/**
 * Any ontology, as OBO or as a TSV: the kinds that let users build a tree from their own sources.
 *
 * OBO: every `[Term]` whose id has one of the `id_prefix`es, not obsolete; parents are its `is_a`
 * targets among the kept terms (or, with none, the genus of its logical definition); names are
 * the label, EXACT synonyms and RELATED ones as configured.
 *
 * TSV: a header naming the columns, then a node a line. `id` and `label` are required;
 * `synonyms`, `parents` (ids, of this file or of any source) and `xrefs` are pipe-separated;
 * `definition` is text; `rare` is true/false (or yes/no, 1/0). Lines starting with `#` are
 * comments. fixtures/met/modalities.tsv is an example.
 */
import { addNode, readFor, type BuildContext } from './context.js';
import { definitionOf, keepXref, nameClaim, Rank } from './draft.js';
import { oboClaims } from './doid.js';
import type { OboTerm } from './obo.js';
import { cell, list, readObo, readTsv } from './read.js';
import { DEFAULT_XREF_PREFIXES, MetBuildError, type OboSpec, type TsvSpec } from './sources.js';

export function loadObo(spec: OboSpec, index: number, ctx: BuildContext): void {
  const prefixes = spec.id_prefix === undefined ? undefined : (Array.isArray(spec.id_prefix) ? spec.id_prefix : [spec.id_prefix]).map((p) => (p.endsWith(':') ? p : `${p}:`));
  const keep = (id: string) => !prefixes || prefixes.some((p) => id.startsWith(p));
  const xrefPrefixes = spec.xref_prefixes ?? DEFAULT_XREF_PREFIXES;
  const counts: Record<string, number> = {};
  const terms = new Map<string, { term: OboTerm; file: string }>();
  let read = 0;
  let obsolete = 0;
  let otherPrefix = 0;
  spec.files.forEach((p, fi) => {
    const file = readFor(ctx, index, p, `files.${fi}`);
    for (const t of readObo(file).terms) {
      read++;
      if (!keep(t.id)) otherPrefix++;
      else if (t.obsolete) obsolete++;
      else if (!terms.has(t.id)) terms.set(t.id, { term: t, file: file.path });
    }
  });
  let roots = 0;
  let byGenus = 0;
  for (const [id, { term, file }] of [...terms].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let parents = [...new Set(term.isA.filter((p) => terms.has(p)))];
    if (parents.length === 0) {
      parents = [...new Set(term.genus.filter((p) => terms.has(p) && p !== id))];
      if (parents.length > 0) byGenus++;
    }
    if (parents.length === 0) {
      roots++;
      if (spec.parent) parents = [spec.parent];
    }
    const label = term.name ?? id;
    const definition = definitionOf(term.def, spec.definitions);
    addNode(ctx, {
      id,
      label,
      type: spec.type,
      parents: parents.sort(),
      rare: spec.rare_subset !== undefined && term.subsets.includes(spec.rare_subset),
      claims: oboClaims(label, term, spec.related, counts),
      xrefs: new Set(term.xrefs.filter((x) => keepXref(x, xrefPrefixes))),
      ...(definition ? { definition } : {}),
      source: spec.name,
      where: `${file}: line ${term.line}`,
    });
  }
  ctx.report[spec.name] = {
    terms_read: read,
    other_prefix_skipped: otherPrefix,
    obsolete_skipped: obsolete,
    terms: terms.size,
    roots,
    parents_from_genus: byGenus,
    ...Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

const TRUE = new Set(['true', 'yes', '1', 'y']);
const FALSE = new Set(['false', 'no', '0', 'n', '']);

export function loadTsvSource(spec: TsvSpec, index: number, ctx: BuildContext): void {
  let nodes = 0;
  spec.files.forEach((p, fi) => {
    const file = readFor(ctx, index, p, `files.${fi}`);
    const { table, col } = readTsv(file, { required: ['id', 'label|name'], optional: ['synonyms|synonym', 'parents|parent', 'xrefs|xref', 'definition|def', 'rare'] });
    for (const row of table.rows) {
      const where = `${file.path}: line ${row.line}`;
      const id = cell(row.fields, col.id);
      const label = cell(row.fields, col.label);
      if (!/^[^\s:]+:\S+$/.test(id)) throw new MetBuildError(`${where}: id ${JSON.stringify(id)} is not of the form PREFIX:local`);
      if (!label) throw new MetBuildError(`${where}: ${id} has no label`);
      const rare = cell(row.fields, col.rare).toLowerCase();
      if (!TRUE.has(rare) && !FALSE.has(rare)) throw new MetBuildError(`${where}: rare is ${JSON.stringify(rare)}; expected true or false`);
      const definition = cell(row.fields, col.definition);
      const parents = list(row.fields, col.parents);
      addNode(ctx, {
        id,
        label,
        type: spec.type,
        parents: parents.length > 0 ? [...new Set(parents)].sort() : spec.parent ? [spec.parent] : [],
        rare: TRUE.has(rare),
        claims: [
          { text: label, rank: Rank.Label },
          ...list(row.fields, col.synonyms)
            .map((s) => nameClaim(s, Rank.Curated))
            .filter((c) => c !== undefined),
        ],
        xrefs: new Set(list(row.fields, col.xrefs)),
        ...(definition ? { definition } : {}),
        source: spec.name,
        where,
      });
      nodes++;
    }
  });
  ctx.report[spec.name] = { nodes };
}

/**
 * The Human Disease Ontology as DOID publishes it: the hierarchy from HumanDO.tsv (id, label,
 * parent *label*, a row per parent), full entries (synonyms, definitions, xrefs) from OBO files
 * that each hold a subset (united by id), the rare flag from the rare-disease slim, and every
 * term's xrefs from allXREFinDO.tsv.
 */
import type { OboTerm } from './obo.js';
import { addNode, readFor, type BuildContext } from './context.js';
import { definitionOf, keepXref, nameClaim, Rank, type Claim } from './draft.js';
import { cleanName, rewords } from './names.js';
import { cell, readObo, readTsv } from './read.js';
import { DEFAULT_XREF_PREFIXES, MetBuildError, type DoidSpec } from './sources.js';
import { extractSymptoms } from './symptoms.js';

/** Unites OBO terms read from several files: the first entry of an id gives its name and definition; lists are merged. */
function unite(into: Map<string, OboTerm>, term: OboTerm): void {
  const prior = into.get(term.id);
  if (!prior) {
    into.set(term.id, { ...term, synonyms: [...term.synonyms], xrefs: [...term.xrefs], isA: [...term.isA], genus: [...term.genus], subsets: [...term.subsets] });
    return;
  }
  const seen = new Set(prior.synonyms.map((s) => `${s.scope}\t${s.text}`));
  for (const s of term.synonyms) if (!seen.has(`${s.scope}\t${s.text}`)) prior.synonyms.push(s);
  for (const key of ['xrefs', 'isA', 'genus', 'subsets'] as const) {
    for (const v of term[key]) if (!prior[key].includes(v)) prior[key].push(v);
  }
  prior.def ??= term.def;
  prior.name ??= term.name;
}

/** Names from an OBO entry: EXACT synonyms, RELATED ones as configured, the label without its qualifier. */
export function oboClaims(label: string, term: OboTerm | undefined, related: 'none' | 'rewordings' | 'all', counts: Record<string, number>): Claim[] {
  const claims: Claim[] = [{ text: label, rank: Rank.Label }];
  const bare = cleanName(label);
  if (bare.changed && bare.text !== '') {
    claims.push({ text: bare.text, rank: Rank.Curated });
    counts.labels_cleaned = (counts.labels_cleaned ?? 0) + 1;
  }
  if (!term) return claims;
  const exact: string[] = [];
  for (const s of term.synonyms) {
    const scope = `synonyms_${s.scope.toLowerCase()}`;
    counts[scope] = (counts[scope] ?? 0) + 1;
    if (s.scope !== 'EXACT') continue;
    const c = nameClaim(s.text, Rank.Curated, counts);
    if (!c) continue;
    claims.push(c);
    if (!c.dropped) exact.push(c.text);
  }
  if (related !== 'none') {
    for (const s of term.synonyms) {
      if (s.scope !== 'RELATED') continue;
      const c = nameClaim(s.text, Rank.Derived);
      if (!c || c.dropped) continue;
      if (related === 'all' || rewords(c.text, [label, ...exact])) {
        claims.push(c);
        counts.synonyms_related_kept = (counts.synonyms_related_kept ?? 0) + 1;
      }
    }
  }
  return claims;
}

export function loadDoid(spec: DoidSpec, index: number, ctx: BuildContext): void {
  const counts: Record<string, number> = {};
  const prefixes = spec.xref_prefixes ?? DEFAULT_XREF_PREFIXES;

  // Full entries, united over the subset files.
  const terms = new Map<string, OboTerm>();
  const obsolete = new Set<string>();
  spec.files.terms.forEach((p, i) => {
    const file = readFor(ctx, index, p, `files.terms.${i}`);
    for (const t of readObo(file).terms) {
      if (t.obsolete) obsolete.add(t.id);
      else unite(terms, t);
    }
  });
  for (const id of terms.keys()) obsolete.delete(id);

  const rare = new Set<string>();
  if (spec.files.rare) {
    const file = readFor(ctx, index, spec.files.rare, 'files.rare');
    for (const t of readObo(file).terms) if (!t.obsolete) rare.add(t.id);
  }

  // The hierarchy: a row per (term, parent label).
  const hierarchy = readFor(ctx, index, spec.files.hierarchy, 'files.hierarchy');
  const { table, col } = readTsv(hierarchy, { required: ['id', 'label'], optional: ['subclassof|parent|parent_label'] });
  const parentCol = col.subclassof ?? (table.header.length >= 3 ? 2 : undefined);
  if (parentCol === undefined) throw new MetBuildError(`${hierarchy.path}: line 1: no parent column (subClassOf); the header has ${table.header.join(', ')}`);
  const rows = new Map<string, { label: string; parentLabels: string[]; line: number }>();
  for (const row of table.rows) {
    const id = cell(row.fields, col.id);
    const label = cell(row.fields, col.label);
    if (!id || !label) throw new MetBuildError(`${hierarchy.path}: line ${row.line}: a row without ${id ? 'a label' : 'an id'}`);
    const parent = cell(row.fields, parentCol);
    const entry = rows.get(id) ?? { label, parentLabels: [], line: row.line };
    if (parent && !entry.parentLabels.includes(parent)) entry.parentLabels.push(parent);
    rows.set(id, entry);
  }

  // Every current term: the hierarchy's, and the entries' (DOID:4 "disease", the root, has no row of its own).
  const ids = new Set<string>([...rows.keys(), ...terms.keys()]);
  const labelOf = (id: string): string => rows.get(id)?.label ?? terms.get(id)?.name ?? id;
  const idOfLabel = new Map<string, string>();
  const clashes: string[] = [];
  for (const id of [...ids].sort()) {
    const l = labelOf(id);
    const prior = idOfLabel.get(l);
    if (prior) clashes.push(`${prior}/${id} "${l}"`);
    else idOfLabel.set(l, id);
  }

  const unresolved: { id: string; parent_label: string; used: string }[] = [];
  let multi = 0;
  for (const id of [...ids].sort()) {
    const row = rows.get(id);
    const term = terms.get(id);
    const oboParents = (term?.isA ?? []).filter((p) => ids.has(p));
    let parents: string[];
    if (row) {
      parents = [];
      for (const pl of row.parentLabels) {
        const p = idOfLabel.get(pl);
        if (p) parents.push(p);
        else unresolved.push({ id, parent_label: pl, used: oboParents.length > 0 ? `is_a ${oboParents.join(', ')}` : 'none' });
      }
      if (parents.length < row.parentLabels.length) for (const p of oboParents) if (!parents.includes(p)) parents.push(p);
    } else {
      parents = oboParents;
    }
    parents = [...new Set(parents)].sort();
    if (parents.length === 0 && spec.parent) parents = [spec.parent];
    if (parents.length > 1) multi++;
    const label = labelOf(id);
    if (row && term?.name && term.name !== label) counts.labels_differ = (counts.labels_differ ?? 0) + 1;
    const isRare = rare.has(id) || (term?.subsets.includes('DO_rare_slim') ?? false);
    const definition = definitionOf(term?.def, spec.definitions);
    addNode(ctx, {
      id,
      label,
      type: spec.type,
      parents,
      rare: isRare,
      claims: oboClaims(label, term, spec.related, counts),
      xrefs: new Set((term?.xrefs ?? []).filter((x) => keepXref(x, prefixes))),
      ...(definition ? { definition } : {}),
      source: spec.name,
      where: row ? `${hierarchy.path}: line ${row.line}` : `${spec.files.terms[0]}: ${id}`,
    });
    if (spec.symptoms && term?.def) for (const phrase of extractSymptoms(term.def)) ctx.symptoms.push({ disease: id, phrase });
  }

  if (spec.files.xrefs) {
    const file = readFor(ctx, index, spec.files.xrefs, 'files.xrefs');
    const x = readTsv(file, { required: ['id', 'xref'], optional: [] });
    let added = 0;
    for (const row of x.table.rows) {
      const id = cell(row.fields, x.col.id);
      const xref = cell(row.fields, x.col.xref);
      const d = ctx.drafts.get(id);
      if (!d || d.source !== spec.name || !keepXref(xref, prefixes) || d.xrefs.has(xref)) continue;
      d.xrefs.add(xref);
      added++;
    }
    counts.xrefs_from_table = added;
  }

  ctx.report[spec.name] = {
    terms: ids.size,
    in_hierarchy: rows.size,
    with_entry: [...ids].filter((id) => terms.has(id)).length,
    obsolete_skipped: obsolete.size,
    rare: [...ids].filter((id) => ctx.drafts.get(id)!.rare).length,
    with_several_parents: multi,
    parents_unresolved: unresolved,
    label_clashes: clashes,
    ...Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

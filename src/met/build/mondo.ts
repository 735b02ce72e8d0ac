/**
 * MONDO's rare diseases (id, label, pipe-separated synonyms; no hierarchy, no xrefs). Each entry
 * is attached to the DOID node it names, or becomes a node of its own under a "rare disease, not
 * in DOID" branch. An attached entry adds its MONDO id as an xref, its label and synonyms as
 * names, and makes the node rare; it never becomes a duplicate node.
 *
 * Matching compares `attachKey`s (lower case, qualifiers and "the" removed, only letters and
 * digits), best evidence first: (1) MONDO label = DOID label, (2) MONDO label = a DOID exact
 * synonym, (3) a MONDO synonym = a DOID label, (4) a MONDO synonym = a DOID exact synonym. The
 * first level with candidates decides; several candidates there are narrowed to those matched by
 * the most of the entry's names; an entry still split between nodes is ambiguous, attached to
 * none and listed in the build report. Acronyms (names in capitals) and keys shorter than four
 * characters never match: "BMD" names two different diseases. Acronyms MONDO wrote in lower case
 * are restored to capitals first (`restoreAcronym`).
 */
import { addNode, readFor, type BuildContext } from './context.js';
import { nameClaim, Rank, type Draft } from './draft.js';
import { RARE_NOT_IN_DOID } from './branches.js';
import { attachKey, isCapitals, restoreAcronym } from './names.js';
import { cell, list, readTsv } from './read.js';
import { MetBuildError, type MondoRareSpec } from './sources.js';

const usable = (name: string): string | undefined => {
  if (isCapitals(name)) return undefined;
  const k = attachKey(name);
  return k.length >= 4 ? k : undefined;
};

export function loadMondoRare(spec: MondoRareSpec, index: number, ctx: BuildContext): void {
  const sources = ctx.sources.spec.sources;
  const targetName = spec.attach_to ?? sources.find((s) => s.kind === 'doid')?.name;
  const target = sources.findIndex((s) => s.name === targetName);
  if (!targetName || target < 0) {
    throw new MetBuildError(`${ctx.sources.at(`sources.${index}.attach_to`)}: ${spec.attach_to ? `no source named "${spec.attach_to}"` : 'no doid source to attach to; name one with attach_to'}`);
  }
  if (target > index) throw new MetBuildError(`${ctx.sources.at(`sources.${index}.attach_to`)}: source "${targetName}" must come before this one`);
  const nodes = ctx.bySource.get(targetName) ?? [];

  const byLabel = new Map<string, Draft[]>();
  const bySynonym = new Map<string, Draft[]>();
  const put = (m: Map<string, Draft[]>, k: string | undefined, d: Draft) => {
    if (k === undefined) return;
    const l = m.get(k) ?? [];
    if (!l.includes(d)) l.push(d);
    m.set(k, l);
  };
  for (const d of nodes) {
    for (const c of d.claims) {
      if (c.rank === Rank.Label) put(byLabel, usable(c.text), d);
      else if (c.rank === Rank.Curated) put(bySynonym, usable(c.text), d);
    }
  }

  const counts = { entries: 0, attached: 0, attached_by: { label_label: 0, label_synonym: 0, synonym_label: 0, synonym_synonym: 0 }, attached_made_rare: 0, names_added: 0, new_nodes: 0, ambiguous: 0, acronyms_restored: 0 };
  const levelNames = ['label_label', 'label_synonym', 'synonym_label', 'synonym_synonym'] as const;
  const ambiguous: { id: string; label: string; candidates: string[] }[] = [];
  const seen = new Set<string>();
  spec.files.forEach((p, fi) => {
    const file = readFor(ctx, index, p, `files.${fi}`);
    const { table, col } = readTsv(file, { required: ['id', 'label'], optional: ['synonyms'] });
    for (const row of table.rows) {
      const id = cell(row.fields, col.id);
      const label = cell(row.fields, col.label);
      if (!id || !label) throw new MetBuildError(`${file.path}: line ${row.line}: a row without ${id ? 'a label' : 'an id'}`);
      if (seen.has(id)) throw new MetBuildError(`${file.path}: line ${row.line}: ${id} appears twice`);
      seen.add(id);
      counts.entries++;
      const raw = list(row.fields, col.synonyms);
      const synonymClaims = raw
        .map((s) => {
          const restored = restoreAcronym(s, [label, ...raw]);
          if (restored !== s) counts.acronyms_restored++;
          return nameClaim(restored, Rank.Derived);
        })
        .filter((c) => c !== undefined);
      const synonyms = synonymClaims.filter((c) => !c.dropped).map((c) => c.text);
      const lk = usable(label);
      const sk = synonyms.map(usable).filter((k): k is string => k !== undefined);
      const levels: (string | undefined)[][] = [[lk], [lk], sk, sk];
      const maps = [byLabel, bySynonym, byLabel, bySynonym];
      let chosen: Draft[] = [];
      let level = -1;
      for (let l = 0; l < 4 && chosen.length === 0; l++) {
        const found = new Set<Draft>();
        for (const k of levels[l]!) if (k !== undefined) for (const d of maps[l]!.get(k) ?? []) found.add(d);
        if (found.size > 0) {
          chosen = [...found];
          level = l;
        }
      }
      if (chosen.length > 1) {
        // The candidates matched by the most of the entry's names.
        const all = [lk, ...sk].filter((k): k is string => k !== undefined);
        const score = (d: Draft) => all.filter((k) => (byLabel.get(k) ?? []).includes(d) || (bySynonym.get(k) ?? []).includes(d)).length;
        const best = Math.max(...chosen.map(score));
        chosen = chosen.filter((d) => score(d) === best);
      }
      if (chosen.length > 1) {
        counts.ambiguous++;
        ambiguous.push({ id, label, candidates: chosen.map((d) => d.id).sort() });
        continue;
      }
      if (chosen.length === 1) {
        const d = chosen[0]!;
        counts.attached++;
        counts.attached_by[levelNames[level]!]++;
        d.xrefs.add(id);
        if (!d.rare) counts.attached_made_rare++;
        d.rare = true;
        const have = new Set(d.claims.map((c) => c.text));
        for (const c of [{ text: label, rank: Rank.Curated }, ...synonymClaims]) {
          if (have.has(c.text)) continue;
          have.add(c.text);
          d.claims.push(c);
          counts.names_added++;
        }
        continue;
      }
      counts.new_nodes++;
      addNode(ctx, {
        id,
        label,
        type: spec.type,
        parents: [spec.parent ?? RARE_NOT_IN_DOID],
        rare: true,
        claims: [{ text: label, rank: Rank.Label }, ...synonymClaims],
        xrefs: new Set(),
        source: spec.name,
        where: `${file.path}: line ${row.line}`,
      });
    }
  });
  ctx.report[spec.name] = { attach_to: targetName, ...counts, ambiguous_entries: ambiguous };
}

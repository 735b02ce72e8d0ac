/**
 * `winnow met build`: the OBO and TSV readers, the name policy, a small tree built from files
 * written here, and the shipped tree rebuilt from ../shared/data (skipped when it is absent).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMetTree, type BuiltTree } from '../../src/met/build/build.js';
import { parseObo } from '../../src/met/build/obo.js';
import { AmbiguousList, cleanName, nameKey, parseAmbiguous, restoreAcronym, rewords } from '../../src/met/build/names.js';
import { MetBuildError } from '../../src/met/build/sources.js';
import { parseMetTree, type MetTree } from '../../src/met/tree.js';
import { metBuildCommand } from '../../src/cli/commands/met.js';
import { ROOT, SHARED, tempDir } from '../helpers.js';

const SOURCES = join(ROOT, 'fixtures', 'met', 'sources.yaml');
const SHIPPED = join(ROOT, 'fixtures', 'met', 'met.json.gz');
const hasShared = existsSync(join(SHARED, 'data', 'doid', 'HumanDO.tsv'));
if (!hasShared) console.warn(`skipping the rebuild of the shipped entity tree: ${SHARED}/data is absent (it is present in CI)`);

describe('OBO reader', () => {
  const obo = [
    'format-version: 1.2',
    'data-version: test/2026-01-01',
    '',
    '[Term]',
    'id: DOID:1',
    'name: drug-induced lupus erythematosus',
    'def: "A lupus \\"erythematosus\\" caused by drugs; see url:https\\://example.org." [url:https\\://example.org] {comment="x"}',
    'subset: DO_rare_slim',
    'synonym: "DILE" EXACT OMO:0003012 []',
    'synonym: "drug lupus" RELATED []',
    'synonym: "lupus" BROAD []',
    'synonym: "lupus due to procainamide" NARROW [PMID:1]',
    'xref: MESH:D008180 {source="x"}',
    'xref: ORDO:231111 "a description"',
    'is_a: DOID:2 ! lupus erythematosus',
    'is_a: DOID:3 {source="y"} ! another parent',
    '',
    '[Term]',
    'id: UBERON:1',
    'name: heart',
    'intersection_of: UBERON:2 ! organ',
    'intersection_of: part_of UBERON:3 ! body',
    '',
    '[Term]',
    'id: DOID:9',
    'name: obsolete thing',
    'is_obsolete: true',
    '',
    '[Typedef]',
    'id: part_of',
    'name: part of',
  ].join('\n');
  const parsed = parseObo(obo);

  it('reads header tags and [Term] stanzas only (Typedef skipped)', () => {
    expect(parsed.header['data-version']).toBe('test/2026-01-01');
    expect(parsed.terms.map((t) => t.id)).toEqual(['DOID:1', 'UBERON:1', 'DOID:9']);
  });

  it('reads synonyms with their scope and type, xrefs and is_a without modifiers or comments', () => {
    const t = parsed.terms[0]!;
    expect(t.synonyms).toEqual([
      { text: 'DILE', scope: 'EXACT', type: 'OMO:0003012' },
      { text: 'drug lupus', scope: 'RELATED' },
      { text: 'lupus', scope: 'BROAD' },
      { text: 'lupus due to procainamide', scope: 'NARROW' },
    ]);
    expect(t.xrefs).toEqual(['MESH:D008180', 'ORDO:231111']);
    expect(t.isA).toEqual(['DOID:2', 'DOID:3']);
    expect(t.subsets).toEqual(['DO_rare_slim']);
    expect(t.def).toBe('A lupus "erythematosus" caused by drugs; see url:https://example.org.');
    expect(t.line).toBe(4);
  });

  it('reads the genus of a logical definition, and the obsolete flag', () => {
    expect(parsed.terms[1]!.genus).toEqual(['UBERON:2']);
    expect(parsed.terms[2]!.obsolete).toBe(true);
  });

  it('says where a stanza is broken', () => {
    expect(() => parseObo('[Term]\nid: X:1\nsynonym: "open quote EXACT []\n')).toThrow(/quoted string does not end/);
    expect(() => parseObo('[Term]\nid: X:1\nsynonym: "x" SIMILAR []\n')).toThrow(/scope "SIMILAR"/);
  });
});

describe('names', () => {
  it('drops coding qualifiers, and names that need their brackets', () => {
    expect(cleanName("Bell's (facial) palsy").text).toBe("Bell's palsy");
    expect(cleanName('hypochromic microcytic anemia (disease)').text).toBe('hypochromic microcytic anemia');
    expect(cleanName('Teratoma, malignant, NOS').text).toBe('Teratoma, malignant');
    expect(cleanName('disorder of hypoglossal [12th] nerve').text).toBe('disorder of hypoglossal nerve');
    expect(cleanName('acute myeloid leukemia, t(8;21)(q22;q22)')).toEqual({ text: 'acute myeloid leukemia, t(8;21)(q22;q22)', changed: false });
    expect(cleanName('blood (leukemia)').dropped).toMatch(/^qualified: /);
    expect(cleanName('FAE (fetal alcohol effects)').text).toBe('FAE');
  });

  it('compare as the matcher does: hyphens as spaces, no apostrophes, case folded unless in capitals', () => {
    expect(nameKey("Crouzon's  Disease")).toBe(nameKey('crouzons disease'));
    expect(nameKey('X-linked ichthyosis')).toBe('x linked ichthyosis');
    expect(nameKey('ALL')).not.toBe(nameKey('all'));
  });

  it('keep a RELATED synonym only when it rewords a name', () => {
    expect(rewords('adenocarcinoma of breast', ['breast adenocarcinoma'])).toBe(true);
    expect(rewords('PML', ['progressive multifocal leukoencephalopathy'])).toBe(true);
    expect(rewords('exocrine cancer', ['pancreatic carcinoma'])).toBe(false);
  });

  it('restore acronyms MONDO wrote in lower case', () => {
    expect(restoreAcronym('men', ['multiple endocrine neoplasia'])).toBe('MEN');
    expect(restoreAcronym('let', ['lupus erythematosus tumidus'])).toBe('LET');
    expect(restoreAcronym('read', ['rectum adenocarcinoma'])).toBe('read');
  });

  it('apply the ambiguous list with the case rule: a lower-case entry spares the acronym, a capital one only takes the acronym', () => {
    const list = new AmbiguousList(parseAmbiguous('## everyday words\nall\ncold # the weather\nCOMA # in capitals, coma\n'));
    expect(list.find('all')?.reason).toBe('everyday words');
    expect(list.find('All')?.reason).toBe('everyday words');
    expect(list.find('ALL')).toBeUndefined();
    expect(list.find('Cold')?.reason).toBe('the weather');
    expect(list.find('COMA')?.reason).toBe('in capitals, coma');
    expect(list.find('coma')).toBeUndefined();
  });
});

/** A small tree from files written here: two-parent depth, branch roots, exclusions, MONDO attachment. */
function smallSources(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const q = (s: string) => `"${s}"`;
  writeFileSync(
    join(dir, 'HumanDO.tsv'),
    ['id\tlabel\tsubClassOf', ...[
      ['DOID:7', 'disease of anatomical entity', 'disease'],
      ['DOID:10', 'heart disease', 'disease of anatomical entity'],
      ['DOID:11', 'lung disease', 'disease of anatomical entity'],
      ['DOID:12', 'cardiopulmonary syndrome', 'heart disease'],
      ['DOID:12', 'cardiopulmonary syndrome', 'lung disease'],
      ['DOID:13', 'rare cardiopulmonary syndrome', 'cardiopulmonary syndrome'],
      ['DOID:14', 'common cold', 'lung disease'],
      ['DOID:15', 'acute lymphoblastic leukemia', 'disease'],
    ].map((r) => r.map(q).join('\t'))].join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'terms.obo'),
    [
      'format-version: 1.2',
      '[Term]', 'id: DOID:4', 'name: disease',
      '[Term]', 'id: DOID:12', 'name: cardiopulmonary syndrome', 'def: "A syndrome that has_symptom fever, has_symptom chest pain, and has_symptom cough."',
      'synonym: "CPS" EXACT []', 'synonym: "Cardiopulmonary syndrome (disorder)" EXACT []', 'synonym: "heart lung syndrome" EXACT []', 'synonym: "syndrome, cardiopulmonary" RELATED []',
      '[Term]', 'id: DOID:13', 'name: rare cardiopulmonary syndrome', 'synonym: "heart lung syndrome" EXACT []', 'synonym: "RC" EXACT []',
      '[Term]', 'id: DOID:14', 'name: common cold', 'synonym: "cold" EXACT []', 'synonym: "coryza" EXACT []', 'xref: MESH:D003139', 'xref: SNOMEDCT:1',
      '[Term]', 'id: DOID:15', 'name: acute lymphoblastic leukemia', 'synonym: "ALL" EXACT OMO:0003012 []', 'synonym: "12345" EXACT []',
      '[Term]', 'id: DOID:16', 'name: gone', 'is_obsolete: true',
    ].join('\n') + '\n',
  );
  writeFileSync(join(dir, 'rare.obo'), '[Term]\nid: DOID:13\nname: rare cardiopulmonary syndrome\n');
  writeFileSync(join(dir, 'xrefs.tsv'), 'id\tlabel\txref\n"DOID:10"\t"heart disease"\t"ICD10CM:I51.9"\n"DOID:10"\t"heart disease"\t"NCI:C1"\n');
  writeFileSync(
    join(dir, 'mondo.tsv'),
    'ID\tLABEL\tSYNONYMS\nMONDO:1\tcommon cold\tacute coryza|rhinovirus cold\nMONDO:2\theart lung syndrome\t\nMONDO:3\tzebra disease\tstriped fever (disorder)|zd|\nMONDO:4\tmultiple endocrine neoplasia\tmen\n',
  );
  writeFileSync(
    join(dir, 'anatomy.obo'),
    [
      '[Term]', 'id: UBERON:1', 'name: anatomical entity',
      '[Term]', 'id: UBERON:2', 'name: heart', 'synonym: "cardium" RELATED []', 'synonym: "cor" EXACT []', 'is_a: UBERON:1', 'is_a: BFO:1',
      '[Term]', 'id: UBERON:3', 'name: lung', 'is_a: UBERON:1',
      '[Term]', 'id: CL:1', 'name: cell',
    ].join('\n') + '\n',
  );
  writeFileSync(join(dir, 'mine.tsv'), '# my own nodes\nid\tlabel\tsynonyms\tparent\nMY:1\tcardiac MRI\tCMR|heart MRI\tMY:2\nMY:2\tMRI of organs\t\t\n');
  writeFileSync(join(dir, 'ambiguous.txt'), '## the weather\ncold\n');
  const common = (name: string) => `    description: ${name}\n    origin: test\n    licence: CC0 1.0\n`;
  const sources = `name: small
ambiguous: ambiguous.txt
sources:
  - name: doid
    kind: doid
    type: disease
${common('doid')}    files:
      hierarchy: HumanDO.tsv
      terms: [terms.obo]
      rare: rare.obo
      xrefs: xrefs.tsv
    related: rewordings
    symptoms: true
  - name: mondo-rare
    kind: mondo-rare
    type: disease
${common('mondo')}    files: [mondo.tsv]
  - name: uberon
    kind: obo
    type: anatomy
${common('uberon')}    files: [anatomy.obo]
    id_prefix: UBERON
  - name: mine
    kind: tsv
    type: modality
${common('mine')}    files: [mine.tsv]
`;
  writeFileSync(join(dir, 'sources.yaml'), sources);
  return join(dir, 'sources.yaml');
}

describe('a small tree', () => {
  let built: BuiltTree;
  let tree: MetTree;
  const excluded = (id: string) => Object.fromEntries(tree.file.excluded.filter((e) => e.id === id).map((e) => [e.synonym, e.reason]));
  beforeAll(() => {
    built = buildMetTree(smallSources(tempDir('met-small-')));
    tree = parseMetTree(built.bytes, 'small');
  });

  it('puts each source under its branch root, and DOID under MET:diseases through its root', () => {
    expect(tree.byId.get('DOID:4')!.parents).toEqual(['MET:diseases']);
    expect(tree.byId.get('DOID:7')!.parents).toEqual(['DOID:4']); // "disease", resolved through the OBO entry
    expect(tree.byId.get('UBERON:1')!.parents).toEqual(['MET:anatomy']);
    expect(tree.byId.get('UBERON:2')!.parents).toEqual(['UBERON:1']); // BFO:1 is not kept
    expect(tree.byId.has('CL:1')).toBe(false);
    expect(tree.byId.get('MY:2')!.parents).toEqual(['MET:modalities']);
    expect(tree.byId.get('MY:1')!.parents).toEqual(['MY:2']);
    for (const b of ['MET:diseases', 'MET:anatomy', 'MET:symptoms', 'MET:modalities']) expect(tree.byId.get(b)).toMatchObject({ type: 'branch', depth: 0, parents: [] });
    expect(tree.byId.has('DOID:16')).toBe(false); // obsolete
  });

  it('keeps both parents of a two-parent node, and its depth is the shorter path', () => {
    const n = tree.byId.get('DOID:12')!;
    expect(n.parents).toEqual(['DOID:10', 'DOID:11']);
    expect(n.depth).toBe(4); // MET:diseases 0, DOID:4 1, DOID:7 2, DOID:10 3
    expect(tree.byId.get('DOID:13')!.depth).toBe(5);
    expect(tree.ancestors('DOID:13')).toEqual(['DOID:10', 'DOID:11', 'DOID:12', 'DOID:4', 'DOID:7', 'MET:diseases']);
  });

  it('flags rare diseases, keeps the listed xrefs, and adds MONDO entries to the nodes they name', () => {
    expect(tree.byId.get('DOID:13')!.rare).toBe(true);
    expect(tree.byId.get('DOID:10')!.xrefs).toEqual(['ICD10CM:I51.9']); // NCI not kept
    const cold = tree.byId.get('DOID:14')!;
    expect(cold.xrefs).toEqual(['MESH:D003139', 'MONDO:1']);
    expect(cold.rare).toBe(true);
    expect(cold.synonyms).toEqual(['acute coryza', 'coryza', 'rhinovirus cold']);
    const report = tree.file.build.sources as Record<string, Record<string, unknown>>;
    // MONDO:2 is the exact synonym of two nodes, each matched by one of its names: ambiguous, attached to neither.
    expect(report['mondo-rare']).toMatchObject({ entries: 4, attached: 1, new_nodes: 2, ambiguous: 1, acronyms_restored: 1, attached_by: { label_label: 1, label_synonym: 0 } });
    expect(report['mondo-rare']!.ambiguous_entries).toEqual([{ id: 'MONDO:2', label: 'heart lung syndrome', candidates: ['DOID:12', 'DOID:13'] }]);
    const zebra = tree.byId.get('MONDO:3')!;
    expect(zebra).toMatchObject({ parents: ['MET:rare-not-in-doid'], rare: true, synonyms: ['striped fever'] });
    expect(tree.byId.get('MET:rare-not-in-doid')!.parents).toEqual(['MET:diseases']);
    expect(tree.byId.get('MONDO:4')!.synonyms).toEqual(['MEN']);
  });

  it('leaves names out with a reason', () => {
    expect(excluded('DOID:14')).toEqual({ cold: 'ambiguous word: the weather' });
    expect(excluded('DOID:15')).toEqual({ '12345': 'number: no letters' });
    expect(tree.byId.get('DOID:15')!.synonyms).toEqual(['ALL']);
    expect(excluded('DOID:13')).toEqual({ RC: 'too short: 2 characters', 'heart lung syndrome': 'shared: also a name of its ancestor DOID:12' });
    expect(excluded('MONDO:3')).toEqual({ zd: 'too short: 2 characters' });
    expect(tree.byId.get('DOID:12')!.synonyms).toEqual(['CPS', 'heart lung syndrome', 'syndrome, cardiopulmonary']); // "(disorder)" cleaned into the label, RELATED rewording kept
    expect(tree.byId.get('UBERON:2')!.synonyms).toEqual(['cor']); // RELATED not kept for this source
  });

  it('shares no name between unrelated nodes', () => {
    const owners = new Map<string, string[]>();
    for (const n of tree.nodes) for (const s of tree.names(n.id)) owners.set(nameKey(s), [...(owners.get(nameKey(s)) ?? []), n.id]);
    expect([...owners].filter(([, ids]) => ids.length > 1)).toEqual([]);
  });

  it('derives symptom nodes from has_symptom phrases and links the disease to them', () => {
    expect(tree.byId.get('MET:symptom/fever')).toMatchObject({ label: 'fever', type: 'symptom', parents: ['MET:symptoms'], depth: 1 });
    expect(tree.byId.get('DOID:12')!.symptoms).toEqual(['MET:symptom/chest-pain', 'MET:symptom/cough', 'MET:symptom/fever']);
  });

  it('records its sources with each file and sha256, paths as written', () => {
    const doid = tree.file.sources.find((s) => s.name === 'doid')!;
    expect(doid.files.map((f) => f.path)).toEqual(['terms.obo', 'rare.obo', 'HumanDO.tsv', 'xrefs.tsv']);
    expect(doid.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(tree.file.sources.map((s) => s.name)).toEqual(['doid', 'mondo-rare', 'uberon', 'mine', 'winnow']);
  });

  it('sorts nodes by id and writes gzip without a timestamp', () => {
    const ids = tree.nodes.map((n) => n.id);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect([...built.bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
    expect(createHash('sha256').update(gunzipSync(built.bytes)).digest('hex')).toBe(built.json_sha256);
  });
});

describe('sources file problems, in one line', () => {
  const dir = tempDir('met-bad-');
  const sources = smallSources(join(dir, 'ok'));
  const write = (name: string, text: string) => {
    const p = join(dir, 'ok', name);
    writeFileSync(p, text);
    return p;
  };
  const message = (file: string): string => {
    try {
      buildMetTree(file);
    } catch (err) {
      expect(err).toBeInstanceOf(MetBuildError);
      return (err as Error).message;
    }
    throw new Error('no error');
  };
  const original = readFileSync(sources, 'utf8');

  it('a missing data file: the sources file, the line and the key', () => {
    const m = message(write('missing.yaml', original.replace('rare: rare.obo', 'rare: nowhere.obo')));
    expect(m).toBe(`${join(dir, 'ok', 'missing.yaml')}: line 13: sources.0.files.rare: cannot read nowhere.obo (ENOENT)`);
  });

  it('an unknown key and a bad kind', () => {
    expect(message(write('key.yaml', original.replace('    related: rewordings', '    relatd: rewordings')))).toMatch(/key\.yaml: line 4: sources\.0: unknown key "relatd"$/);
    expect(message(write('kind.yaml', original.replace('kind: tsv', 'kind: csv')))).toMatch(/kind\.yaml: line \d+: sources\.3\.kind: /);
    for (const m of [message(join(dir, 'ok', 'key.yaml')), message(join(dir, 'ok', 'kind.yaml'))]) expect(m).not.toContain('\n');
  });

  it('a broken data file: its path and line', () => {
    write('mine.tsv', 'id\tlabel\tsynonyms\tparent\nMY:1\tthing\t\tMY:404\n');
    expect(message(sources)).toBe('mine.tsv: line 2: parent "MY:404" of MY:1 is no node of the tree');
    write('mine.tsv', 'id\tlabel\tparents\nMY:1\tone\tMY:2\nMY:2\ttwo\tMY:1\n');
    expect(message(sources)).toBe('mine.tsv: line 2: MY:1 reaches no root: its parents form a cycle (2 nodes are in or under one)');
    write('mine.tsv', 'id\tlabel\tparents\nMY:1\tone\t\nMY:2\ttwo\tMY:1|MY:3\nMY:3\tthree\tMY:2\n');
    expect(message(sources)).toMatch(/^mine\.tsv: line \d: MY:\d is its own ancestor: its parents form a cycle$/);
    write('mine.tsv', 'id\tname\nMY:1\tthing\n');
    write('terms.obo', '[Term]\nid: DOID:4\nsynonym: "x" EXACT []\nsynonym: "y" SIMILAR []\n');
    expect(message(sources)).toBe('terms.obo: line 4: synonym: scope "SIMILAR" is not one of EXACT, RELATED, NARROW, BROAD');
  });

  it('the command reports them as WinnowErrors (exit code 2), one line', () => {
    let caught: unknown;
    try {
      metBuildCommand(join(dir, 'nope.yaml'), { out: join(dir, 'out.json.gz'), quiet: true });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MetBuildError);
    expect((caught as MetBuildError).exitCode).toBe(2);
    expect((caught as Error).message).toBe(`${join(dir, 'nope.yaml')}: cannot read the file (ENOENT)`);
  });
});

describe.skipIf(!hasShared)('the shipped tree (skipped without ../shared)', () => {
  let built: BuiltTree;
  let tree: MetTree;
  beforeAll(() => {
    built = buildMetTree(SOURCES);
    tree = parseMetTree(built.bytes, SOURCES);
  });

  it('is the committed fixtures/met/met.json.gz, byte for byte (content, and bytes under the zlib that built it)', () => {
    const committed = readFileSync(SHIPPED);
    const readme = readFileSync(join(ROOT, 'fixtures', 'met', 'README.md'), 'utf8');
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(sha(gunzipSync(committed))).toBe(built.json_sha256);
    expect(readme).toContain(sha(committed));
    expect(readme).toContain(built.json_sha256);
    const zlib = /zlib ([0-9][^\s`)]*)/.exec(readme)?.[1];
    if (zlib === process.versions.zlib) expect(built.sha256).toBe(sha(committed));
    else console.warn(`fixtures/met/met.json.gz was compressed by zlib ${zlib}, this Node has ${process.versions.zlib}: compared the content only`);
  });

  it('is deterministic: a second build is byte-identical', () => {
    expect(buildMetTree(SOURCES).bytes.equals(built.bytes)).toBe(true);
  });

  it('holds DOID whole: every term, 49 with several parents, each at the depth of its shortest path', () => {
    const doid = tree.nodes.filter((n) => n.source === 'doid' && n.type === 'disease');
    expect(doid.length).toBe(12_247);
    const several = doid.filter((n) => n.parents.length > 1);
    expect(several.length).toBe(49);
    for (const n of several) expect(n.depth).toBe(1 + Math.min(...n.parents.map((p) => tree.byId.get(p)!.depth)));
    expect(tree.byId.get('DOID:0070540')!.parents).toEqual(['DOID:3146', 'DOID:700', 'DOID:9252']);
    expect((tree.file.build.sources as Record<string, { parents_unresolved: unknown[] }>).doid.parents_unresolved).toEqual([]);
    for (const n of tree.nodes) if (n.parents.length > 0) expect(n.depth).toBe(1 + Math.min(...n.parents.map((p) => tree.byId.get(p)!.depth)));
  });

  it('accounts for every MONDO rare disease: attached to a DOID node, new under MET:rare-not-in-doid, or ambiguous', () => {
    const m = (tree.file.build.sources as Record<string, Record<string, number>>)['mondo-rare']!;
    expect(m.entries).toBe(16_610);
    expect(m.attached! + m.new_nodes! + m.ambiguous!).toBe(16_610);
    const xrefs = tree.nodes.filter((n) => n.source === 'doid' && n.xrefs.some((x) => x.startsWith('MONDO:')));
    expect(xrefs.reduce((s, n) => s + n.xrefs.filter((x) => x.startsWith('MONDO:')).length, 0)).toBe(m.attached);
    expect(tree.nodes.filter((n) => n.source === 'mondo-rare').every((n) => n.rare && n.parents[0] === 'MET:rare-not-in-doid')).toBe(true);
    expect(tree.children.get('MET:rare-not-in-doid')!.length).toBe(m.new_nodes);
  });

  it('excludes ambiguous names with their reason and keeps acronyms in capitals', () => {
    const reason = (id: string, name: string) => tree.file.excluded.find((e) => e.id === id && e.synonym === name)?.reason;
    expect(reason('DOID:4', 'disease')).toMatch(/^ambiguous word: /);
    expect(tree.names('DOID:4')).toEqual([]);
    expect(tree.byId.get('DOID:9952')!.synonyms).toContain('ALL');
    expect(tree.byId.get('DOID:332')!.synonyms).toContain('ALS');
    expect(reason('DOID:0080422', 'DS')).toBe('too short: 2 characters');
    expect(reason('UBERON:0001137', 'back')).toMatch(/^ambiguous word: dorsum/);
    for (const e of tree.file.excluded) expect(e.reason).toMatch(/^(ambiguous word|too short|number|qualified|shared|shared by unrelated nodes): /);
  });

  it('has symptoms from the definitions, and the modalities', () => {
    expect(tree.byId.get('DOID:0050012')!.symptoms).toEqual(['MET:symptom/arthralgia', 'MET:symptom/fever', 'MET:symptom/maculopapular-rash']);
    expect(tree.byId.get('MET:modality/computed-tomography')!.synonyms).toContain('CT scan');
    expect(tree.file.excluded.find((e) => e.id === 'MET:modality/computed-tomography' && e.synonym === 'CT')?.reason).toBe('too short: 2 characters');
  });
});

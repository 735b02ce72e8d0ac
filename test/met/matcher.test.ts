import { describe, expect, it } from 'vitest';
import { caseExact, compileForms, formKey, plurals, readForm } from '../../src/met/match-forms.js';
import { NO_KEY, foldRange, gapKey, wordSpans } from '../../src/met/match-text.js';
import { MetMatcher, type MetMatch } from '../../src/met/matcher.js';
import { MET_FORMAT, MET_FORMAT_VERSION, MetTree, loadMetTree, type MetNode, type MetTreeFile } from '../../src/met/tree.js';
import { join } from 'node:path';
import { ROOT, fixtureTexts } from '../helpers.js';

/** Real Human Disease Ontology entries (labels and exact/related synonyms as DOID has them, CC0). */
const DOID: [id: string, label: string, synonyms: string[], parents?: string[]][] = [
  ['DOID:9952', 'acute lymphoblastic leukemia', ['acute lymphoblastic leukaemia', 'acute lymphocytic leukaemia', 'ALL', 'precursor lymphoblastic lymphoma/leukemia'], ['DOID:12603']],
  ['DOID:1240', 'leukemia', [], ['DOID:2531']],
  ['DOID:12603', 'acute leukemia', ['Stem cell leukaemia', 'Stem cell Leukemia'], ['DOID:1240']],
  ['DOID:332', 'amyotrophic lateral sclerosis', ['ALS', "Lou Gehrig's disease", 'motor neuron disease, bulbar']],
  ['DOID:10652', "Alzheimer's disease", ['Alzheimer disease', 'Alzheimers dementia']],
  ['DOID:12365', 'malaria', ['induced malaria']],
  ['DOID:0060060', 'non-Hodgkin lymphoma', [], ['DOID:0060058']],
  ['DOID:8567', "Hodgkin's lymphoma", ['HL', 'Hodgkin disease', 'Hodgkin lymphoma', "Hodgkin's sarcoma", 'Hodgkins lymphoma', 'stage I Subdiaphragmatic Hodgkin Lymphoma', 'stage II Subdiaphragmatic Hodgkin Lymphoma'], ['DOID:0060058']],
  ['DOID:0060058', 'lymphoma', ['lymphoid cancer'], ['DOID:2531']],
  ['DOID:12894', "Sjogren's syndrome", ['Sicca syndrome', 'Sjogren syndrome', 'xerodermosteosis']],
  ['DOID:3083', 'chronic obstructive pulmonary disease', ['chronic obstructive airway disease', 'chronic obstructive lung disease', 'COLD', 'COPD'], ['DOID:850']],
  ['DOID:10591', 'pre-eclampsia', ['gestational hypertension', 'hypertension induced by pregnancy', 'pre-eclamptic toxaemia', 'preeclampsia', 'preeclampsia/eclampsia', 'pregnancy associated hypertension', 'pregnancy toxemia', 'proteinuric hypertension of pregnancy', 'toxaemia of pregnancy']],
  ['DOID:14250', 'Down syndrome', ['Complete trisomy 21 syndrome', "Down's syndrome", "Down's syndrome - trisomy 21", 'Downs syndrome', 'G Trisomy', 'trisomy 21 syndrome']],
  ['DOID:13241', "Behcet's disease", ['Adamantiades-Behcet disease', 'Behcet syndrome', "Behcet's syndrome", "Behet's syndrome", 'triple symptom complex'], ['DOID:865']],
  ['DOID:1612', 'breast cancer', ['breast tumor', 'malignant neoplasm of breast', 'malignant tumor of the breast', 'mammary cancer', 'mammary neoplasm', 'mammary tumor', 'primary breast cancer'], ['DOID:162']],
  ['DOID:12361', "Graves' disease", ["Basedow's disease", 'exophthalmic goiter', "Grave's disease", 'Graves disease'], ['DOID:4']],
  ['DOID:9352', 'type 2 diabetes mellitus', ['insulin resistance', 'NIDDM', 'non-insulin-dependent diabetes mellitus', 'type 2 diabetes', 'type II diabetes mellitus'], ['DOID:9351']],
  ['DOID:9351', 'diabetes mellitus', ['diabetes'], ['DOID:4194']],
  ['DOID:1485', 'cystic fibrosis', ['CF', 'mucoviscidosis']],
  ['DOID:305', 'carcinoma', ['epithelial cancer', 'epithelioma', 'malignant Epithelioma'], ['DOID:162']],
  ['DOID:399', 'tuberculosis', []],
  ['DOID:423', 'myopathy', []],
  ['DOID:11476', 'osteoporosis', [], ['DOID:0080001']],
  ['DOID:2377', 'multiple sclerosis', ['Generalized multiple sclerosis', 'insular sclerosis']],
  ['DOID:0080600', 'COVID-19', ['2019 Novel Coronavirus (2019-nCoV)', '2019-nCoV infection', 'COVID19', 'SARS-CoV-2 infection'], ['DOID:0080599']],
  ['DOID:8469', 'influenza', ['flu', 'influenza with non-respiratory manifestation', 'Influenza with other manifestations'], ['DOID:934']],
];

function node(id: string, label: string, synonyms: string[], parents: string[] = [], type: MetNode['type'] = 'disease'): MetNode {
  return { id, label, type, parents, depth: parents.length, rare: false, synonyms, xrefs: [], source: 'doid' };
}

function treeOf(nodes: MetNode[]): MetTree {
  const file: MetTreeFile = {
    format: MET_FORMAT,
    format_version: MET_FORMAT_VERSION,
    name: 'test',
    build: {},
    sources: [],
    nodes: [...nodes].sort((a, b) => (a.id < b.id ? -1 : 1)),
    excluded: [],
  };
  return new MetTree(file, 'test');
}

const tree = treeOf(DOID.map(([id, label, synonyms, parents]) => node(id, label, synonyms, parents)));
const matcher = MetMatcher.fromTree(tree);
const ids = (text: string): string[] => matcher.matches(text).map((m) => m.node);
const spans = (text: string, m = matcher): string[] => m.matches(text).map((x) => `${x.node}=${text.slice(x.start, x.end)}`);

/** Real MedQuAD answers (CancerGov and GARD, CC BY 4.0), as the file has them. */
const MEDQUAD = {
  all: 'Signs and symptoms of adult ALL include fever, feeling tired, and easy bruising or bleeding. The early signs and symptoms of ALL may be like the flu or other common diseases. Check with your doctor if you have any of the following:         - Weakness or feeling tired.    -  Fever or night sweats.    - Easy bruising or bleeding.    -  Petechiae (flat, pinpoint spots under the skin, caused by bleeding).    - Shortness of breath.    - Weight loss or loss of appetite.    - Pain in the bones or stomach.    - Pain or feeling of fullness below the ribs.    - Painless lumps in the neck, underarm, stomach, or groin.    - Having many infections.        These and other signs and symptoms may be caused by adult acute lymphoblastic leukemia or by other conditions.',
  mantle:
    'What causes Mantle cell lymphoma? Most lymphomas are not inherited, but rather an acquired disease in which the DNAwithin the cells has been damaged. Damage to the DNA occurs by a combination of different factors. Many mantle cell lymphomas are found to be associated with a chromsosome translocation. Some causes of non-Hodgkin lymphomas (NHL) have been linked to viral infections including Ebstein-Barr virus, HIV, and human herpesvirus 6. It has also been found that immunodeficiencies and environmental factors like hair dyes and pesticides may lead to NHLs.',
  plasmablastic:
    'Plasmablastic lymphoma is an aggressive form of non-Hodgkin lymphoma. Although the condition most commonly occurs in the oral cavity, it can be diagnosed in many other parts of the body such as the gastrointestinal tract, lymph nodes, and skin. The exact underlying cause of plasmablastic lymphoma is poorly understood; however, it is often associated with suppression of the immune system (i.e. HIV infection, immunosuppressive therapy). There is currently no standard therapy for plasmablastic lymphoma. Treatment usually consists of chemotherapy with or without radiation therapy and hematopoietic stem cell transplantation.',
};

/**
 * A plain reference for the kernel: for each word, the longest run of words whose key is a form
 * (tried from the longest down), by the same reading of words and gaps, the case rule and "non".
 */
function reference(tree: MetTree, text: string, compiled = compileForms(tree)): MetMatch[] {
  const { starts, ends } = wordSpans(text);
  const folded = starts.map((s, i) => foldRange(text, s, ends[i]!));
  const gaps = starts.slice(1).map((s, i) => gapKey(text, ends[i]!, s, compiled.maxSepKey));
  const out: MetMatch[] = [];
  for (let i = 0; i < starts.length; ) {
    let taken = -1;
    const nonBefore = i > 0 && folded[i - 1] === 'non' && gaps[i - 1] === ' ';
    for (let k = Math.min(compiled.maxWords, starts.length - i); k >= 1 && taken < 0 && !nonBefore; k--) {
      if (gaps.slice(i, i + k - 1).includes(NO_KEY)) continue;
      const form = compiled.forms.get(formKey(folded.slice(i, i + k), gaps.slice(i, i + k - 1)));
      if (!form) continue;
      const raw = starts.slice(i, i + k).map((s, j) => text.slice(s, ends[i + j]));
      const ok = form.outputs.filter((o) => o.exact < 0 || compiled.exact[o.exact]!.join('\u0000') === raw.join('\u0000'));
      if (ok.length === 0) continue;
      for (const o of ok) out.push({ node: tree.nodes[o.node]!.id, start: starts[i]!, end: ends[i + k - 1]! });
      taken = k;
    }
    i += taken > 0 ? taken : 1;
  }
  return out;
}

describe('MetMatcher: acronyms and case', () => {
  it('finds ALL in capitals as acute lymphoblastic leukemia, and not "all" or "All"', () => {
    expect(ids('Children with ALL are treated.')).toEqual(['DOID:9952']);
    expect(ids('all children, All adults, aLL of them')).toEqual([]);
    expect(ids('T-ALL and ALL-like')).toEqual(['DOID:9952', 'DOID:9952']); // a hyphen is a boundary
  });

  it('keeps COLD (an acronym) apart from a cold, and matches longer names in any case', () => {
    expect(ids('She caught a cold. Cold weather. COLD and COPD are the same disease; copd is not an acronym here.')).toEqual(['DOID:3083', 'DOID:3083']);
    expect(ids('ACUTE LYMPHOBLASTIC LEUKEMIA, Acute Lymphoblastic Leukaemia')).toEqual(['DOID:9952', 'DOID:9952']);
    expect(ids('CF and cf and Cf')).toEqual(['DOID:1485']);
  });

  it('applies the case rule to short capitals only', () => {
    expect(caseExact(['ALL'])).toBe(true);
    expect(caseExact(['AD15'])).toBe(true);
    expect(caseExact(['T', 'ALL'])).toBe(true);
    expect(caseExact(['NIDDM'])).toBe(true);
    expect(caseExact(['CADASIL'])).toBe(false); // 7 capitals: any case
    expect(caseExact(['HbSS'])).toBe(false);
    expect(caseExact(['2019'])).toBe(false);
  });

  it('counts the real MedQuAD answer on adult ALL', () => {
    expect(matcher.count(MEDQUAD.all)).toEqual({ nodes: ['DOID:8469', 'DOID:9952'], counts: [1, 3] });
  });
});

describe('MetMatcher: longest match and boundaries', () => {
  it('lets the longest form win where forms overlap', () => {
    expect(spans('adult acute lymphoblastic leukemia or acute leukemia or leukemia')).toEqual([
      'DOID:9952=acute lymphoblastic leukemia',
      'DOID:12603=acute leukemia',
      'DOID:1240=leukemia',
    ]);
    expect(spans('type 2 diabetes mellitus, type 2 diabetes and diabetes mellitus')).toEqual([
      'DOID:9352=type 2 diabetes mellitus',
      'DOID:9352=type 2 diabetes',
      'DOID:9351=diabetes mellitus',
    ]);
    expect(spans('Stage I subdiaphragmatic Hodgkin lymphoma')).toEqual(['DOID:8567=Stage I subdiaphragmatic Hodgkin lymphoma']);
  });

  it('falls back to a shorter form when the longer one breaks off', () => {
    expect(spans('acute lymphoblastic anemia; acute leukemia')).toEqual(['DOID:12603=acute leukemia']);
    expect(spans('type 2 diabetes. Mellitus')).toEqual(['DOID:9352=type 2 diabetes']);
  });

  it('does not match inside a word', () => {
    expect(ids('antimalarial drugs, malarial fever, premalaria, malaria2')).toEqual([]);
    expect(spans('(malaria), "malaria"; malaria.')).toEqual(['DOID:12365=malaria', 'DOID:12365=malaria', 'DOID:12365=malaria']);
    expect(ids('ALLERGY, ALLs, COPD2, FLUID, influenzavirus')).toEqual([]);
  });

  it('keeps "non-X" from matching X', () => {
    const noNhl = treeOf(DOID.filter(([id]) => id !== 'DOID:0060060').map(([id, label, synonyms]) => node(id, label, synonyms)));
    expect(spans('non-Hodgkin lymphoma; non Hodgkin lymphoma; Hodgkin lymphoma', MetMatcher.fromTree(noNhl))).toEqual([
      'DOID:0060058=lymphoma',
      'DOID:0060058=lymphoma',
      'DOID:8567=Hodgkin lymphoma',
    ]);
    expect(spans('non-insulin-dependent diabetes mellitus')).toEqual(['DOID:9352=non-insulin-dependent diabetes mellitus']);
  });

  it('requires the punctuation a form has', () => {
    expect(ids('motor neuron disease, bulbar')).toEqual(['DOID:332']);
    expect(ids('motor neuron disease bulbar; motor neuron disease. Bulbar')).toEqual([]);
    expect(spans('the 2019 novel coronavirus (2019-nCoV) outbreak')).toEqual(['DOID:0080600=2019 novel coronavirus (2019-nCoV']);
    expect(ids('preeclampsia/eclampsia and preeclampsia / eclampsia')).toEqual(['DOID:10591', 'DOID:10591']);
  });
});

describe('MetMatcher: variants', () => {
  it('reads hyphens, spaces and runs of white space alike', () => {
    expect(ids('non-Hodgkin lymphoma, non Hodgkin lymphoma, non‐Hodgkin\n  lymphoma, non - Hodgkin lymphoma')).toEqual(Array(4).fill('DOID:0060060'));
    expect(ids('COVID-19, COVID 19, covid–19, COVID19')).toEqual(Array(4).fill('DOID:0080600'));
    expect(ids('pre-eclampsia, pre eclampsia, preeclampsia')).toEqual(Array(3).fill('DOID:10591'));
  });

  it("reads possessives and the eponym's plain and -s forms alike", () => {
    const text = "Alzheimer's disease, Alzheimer disease, Alzheimers disease, Alzheimer’s disease, ALZHEIMER'S DISEASE";
    expect(ids(text)).toEqual(Array(5).fill('DOID:10652'));
    expect(ids("Down syndrome, Down's syndrome, Downs syndrome, Graves disease, Graves' disease, Grave's disease")).toEqual([...Array(3).fill('DOID:14250'), ...Array(3).fill('DOID:12361')]);
    expect(ids("Hodgkin's lymphoma, Hodgkins lymphoma, Hodgkin lymphoma, non-Hodgkin's lymphoma")).toEqual([...Array(3).fill('DOID:8567'), 'DOID:0060060']);
    expect(ids("Lou Gehrig's disease, Lou Gehrigs disease, Lou Gehrig disease")).toEqual(Array(3).fill('DOID:332'));
  });

  it('matches plurals of the head word', () => {
    expect(ids('carcinomas, leukemias, myopathies, osteoporoses, breast cancers, epitheliomata')).toEqual(['DOID:305', 'DOID:1240', 'DOID:423', 'DOID:11476', 'DOID:1612', 'DOID:305']);
    expect(ids('malignant neoplasms of breast, mammary tumors')).toEqual(['DOID:1612', 'DOID:1612']);
    expect(matcher.count(MEDQUAD.mantle)).toEqual({ nodes: ['DOID:0060058', 'DOID:0060060'], counts: [3, 1] });
    expect(matcher.count(MEDQUAD.plasmablastic)).toEqual({ nodes: ['DOID:0060058', 'DOID:0060060'], counts: [3, 1] });
  });

  it('makes plurals by the documented rules', () => {
    expect(plurals('disease')).toEqual(['diseases']);
    expect(plurals('myopathy')).toEqual(['myopathies']);
    expect(plurals('metastasis')).toEqual(['metastases']);
    expect(plurals('arthritis')).toEqual(['arthritides']);
    expect(plurals('carcinoma')).toEqual(['carcinomas', 'carcinomata']);
    expect(plurals('appendix')).toEqual(['appendices', 'appendixes']);
    expect(plurals('diabetes')).toEqual([]);
    expect(plurals('tooth')).toEqual(['teeth']);
    expect(plurals('hl')).toEqual([]); // too short; forms in capitals (caseExact) get no variant at all
  });

  it('folds diacritics and case', () => {
    expect(ids("Sjögren's syndrome, SJÖGREN SYNDROME, sjogren syndrome, Behçet's disease, Behçet syndrome")).toEqual([...Array(3).fill('DOID:12894'), 'DOID:13241', 'DOID:13241']);
  });
});

describe('MetMatcher: offsets and odd input', () => {
  it('gives UTF-16 offsets into the original text, astral characters and CRLF included', () => {
    const text = '😀 ALL 𝐀 😀\r\nacute  lymphoblastic\r\n\tleukemia😀 Sjögren’s syndrome👍🏽';
    const found = matcher.matches(text);
    expect(found.map((m) => text.slice(m.start, m.end))).toEqual(['ALL', 'acute  lymphoblastic\r\n\tleukemia', 'Sjögren’s syndrome']);
    expect(found.map((m) => m.start)).toEqual([3, 14, text.indexOf('Sjögren')]);
    // "Sjögren’s syndrome" ends at "syndrome", not at the emoji after it: the match is the whole form.
    expect(found.at(-1)).toEqual({ node: 'DOID:12894', start: text.indexOf('Sjögren'), end: text.indexOf('👍') });
  });

  it('treats astral letters as letters', () => {
    expect(ids('𝐀malaria malaria𝐀 𝐀 malaria')).toEqual(['DOID:12365']);
  });

  it('returns nothing for empty or wordless text', () => {
    expect(matcher.count('')).toEqual({ nodes: [], counts: [] });
    expect(matcher.matches('')).toEqual([]);
    expect(matcher.matches(' \r\n\t-—’😀')).toEqual([]);
  });

  it('never crashes on a synonym, and counts those with no word', () => {
    const odd = treeOf([
      node('X:1', 'malaria', ['', '   ', '—', "'", '(', "'s", '😀', '\ud800', 'a\ud800b', 'x'.repeat(5000), "O'Brien", '𝐀𝐁𝐂 fever', 'ß']),
      node('X:2', 'MET branch', ['malaria'], [], 'branch'),
    ]);
    const m = MetMatcher.fromTree(odd);
    expect(m.stats.skipped).toBe(7); // '', '   ', '—', "'", '(', '😀', '\ud800'; "'s" reads as the word "s"
    expect(spans("O'Brien, OBrien, 𝐀𝐁𝐂 fever, ß, a\ud800b, 's", m)).toEqual(["X:1=O'Brien", 'X:1=𝐀𝐁𝐂 fever', 'X:1=ß', 'X:1=a\ud800b', 'X:1=s']);
    expect(ids('malaria')).toEqual(['DOID:12365']); // the branch node is not matched
    expect(spans('malaria', m)).toEqual(['X:1=malaria']);
  });

  it('does not match a label the build excluded as an ambiguous word, but does its synonyms', () => {
    const file: MetTreeFile = {
      format: MET_FORMAT,
      format_version: MET_FORMAT_VERSION,
      name: 'test',
      build: {},
      sources: [],
      nodes: [node('UBERON:0000025', 'tube', ['tubular structure'], [], 'anatomy'), node('UBERON:0001913', 'milk', ['breast milk'], [], 'anatomy')],
      excluded: [{ id: 'UBERON:0000025', synonym: 'tube', reason: 'ambiguous word: a feeding tube, a test tube' }],
    };
    const m = MetMatcher.fromTree(new MetTree(file, 'test'));
    expect(spans('a feeding tube, tubes, a tubular structure and milk', m)).toEqual(['UBERON:0000025=tubular structure', 'UBERON:0001913=milk']);
  });

  it('counts a form two nodes share for both, and says how many there are', () => {
    const shared = treeOf([node('A:1', 'insulin resistance', []), node('B:1', 'metabolic syndrome', ['Insulin resistance']), node('C:1', 'hyperinsulinism', ['insulin resistances'])]);
    const m = MetMatcher.fromTree(shared);
    expect(m.stats.shared).toBe(1);
    expect(m.matches('insulin resistance')).toEqual([
      { node: 'A:1', start: 0, end: 18 },
      { node: 'B:1', start: 0, end: 18 },
    ]);
    // A variant never takes a form that a label or synonym has: "insulin resistances" is C's own.
    expect(m.count('insulin resistances')).toEqual({ nodes: ['C:1'], counts: [1] });
  });

  it('bounds the work on pathological text', () => {
    const deep = treeOf([node('P:1', `${'a '.repeat(30)}b`, ['a', 'a a', `${'a-'.repeat(25)}c`]), node('P:2', 'x'.repeat(100), [])]);
    const m = MetMatcher.fromTree(deep);
    expect(m.stats.maxWords).toBe(31);
    const text = 'a '.repeat(500_000); // 1 MB: every word starts a walk that goes 30 words deep
    const found = m.count(text);
    expect(found).toEqual({ nodes: ['P:1'], counts: [250_000] }); // "a a", the longest form the text follows, each pair once
    expect(m.work).toBeLessThanOrEqual(500_000 * (2 * m.stats.maxWords + 1));
    const word = 'x'.repeat(1_000_000);
    expect(m.count(word)).toEqual({ nodes: [], counts: [] });
    expect(m.work).toBeLessThanOrEqual(2);
    const punct = `a${'-,'.repeat(500_000)}a ${"'s".repeat(100_000)}`;
    expect(m.count(punct)).toEqual({ nodes: ['P:1', 'P:1'].slice(1), counts: [2] });
    expect(m.work).toBeLessThanOrEqual(wordSpans(punct).starts.length * (2 * m.stats.maxWords + 1));
  });
});

describe('MetMatcher against a plain reference', () => {
  it('agrees with the reference, and count() with matches(), on real documents', async () => {
    const texts = (await fixtureTexts()).filter((_, i) => i % 4 === 0).map((t) => t.text);
    texts.push(...Object.values(MEDQUAD), "Alzheimer's disease, non-Hodgkin's lymphomas, ALL, T-ALL, 'all' 😀 ALL’s COPD's");
    let mentions = 0;
    for (const text of texts) {
      const got = matcher.matches(text);
      expect(got).toEqual(reference(tree, text));
      mentions += got.length;
      const byNode = new Map<string, number>();
      for (const m of got) byNode.set(m.node, (byNode.get(m.node) ?? 0) + 1);
      const sorted = [...byNode.keys()].sort();
      expect(matcher.count(text)).toEqual({ nodes: sorted, counts: sorted.map((n) => byNode.get(n)!) });
    }
    expect(mentions).toBeGreaterThan(50);
  });

  it('agrees with the reference with the shipped tree, whose states have hundreds of edges', async () => {
    // A state with more than 8 edges is searched by bisection; it once dropped the symbol it
    // landed on, and "acute myeloid leukemia" was tagged as "leukemia" alone.
    const shipped = loadMetTree(join(ROOT, 'fixtures', 'met', 'met.json.gz'));
    const big = MetMatcher.fromTree(shipped);
    const compiled = compileForms(shipped);
    expect(big.matches('Adult acute myeloid leukemia (AML) is').map((m) => m.node)).toEqual(['DOID:9119', 'DOID:9119']);
    const texts = (await fixtureTexts()).filter((_, i) => i % 48 === 0).map((t) => t.text);
    texts.push(...Object.values(MEDQUAD));
    let mentions = 0;
    for (const text of texts) {
      const got = big.matches(text);
      expect(got).toEqual(reference(shipped, text, compiled));
      mentions += got.length;
    }
    expect(mentions).toBeGreaterThan(200);
  });

  it('reads a form the way it reads text', () => {
    const r = readForm("Alzheimer's disease 15, late onset")!;
    expect(r.words).toEqual(['alzheimer', 'disease', '15', 'late', 'onset']);
    expect(r.seps).toEqual([' ', ' ', ',', ' ']);
    expect(r.possessive).toEqual([true, false, false, false, false]);
    expect(readForm('—')).toBeUndefined();
  });
});

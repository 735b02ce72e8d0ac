/**
 * A conservative check that a regular expression cannot backtrack catastrophically: it refuses
 * backreferences and any unbounded quantifier (*, +, {n,}) applied to a group that itself holds
 * an unbounded quantifier ("star height" above one, as in (a+)+ or (\w+\s?)*). Bounded
 * repetition ({m,n}) is allowed at any depth: its work per starting position has a fixed bound.
 * JavaScript's regex engine backtracks and has no time limit, so patterns from rule files are
 * checked with this before they are compiled.
 */
export function unsafeRegexReason(source: string): string | undefined {
  // For each open group: does it contain an unbounded quantifier?
  const stack: boolean[] = [false];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return `backreference \\${next} at offset ${i}`;
      if (!inClass && next === 'k' && source[i + 2] === '<') return `named backreference at offset ${i}`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      stack.push(false);
      continue;
    }
    if (c === ')') {
      const innerUnbounded = stack.pop() ?? false;
      const q = quantifierAt(source, i + 1);
      if (q.unbounded && innerUnbounded) return `nested unbounded quantifier on the group ending at offset ${i}`;
      if (q.unbounded || innerUnbounded) stack[stack.length - 1] = true;
      continue;
    }
    if (quantifierAt(source, i).unbounded && i > 0) stack[stack.length - 1] = true;
  }
  return undefined;
}

function quantifierAt(source: string, i: number): { unbounded: boolean } {
  const c = source[i];
  if (c === '*' || c === '+') return { unbounded: true };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (m) return { unbounded: m[2] !== undefined && m[3] === '' };
  }
  return { unbounded: false };
}

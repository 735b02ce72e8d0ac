/**
 * `a` with room for at least `size` elements: itself when it has it, else a copy at least twice
 * as long (amortized growth), its elements kept.
 */
export function grown<T extends Int32Array | Uint8Array>(a: T, size: number): T {
  if (a.length >= size) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

import { describe, expect, it } from 'vitest';
import { firstInvalidByte } from '../../src/io/utf8-check.js';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('firstInvalidByte', () => {
  it('accepts well-formed UTF-8 of every length', () => {
    expect(firstInvalidByte(new TextEncoder().encode('a é € 𝄞 日本'))).toBe(-1);
  });

  it('finds lone surrogates encoded as WTF-8', () => {
    expect(firstInvalidByte(bytes(0x61, 0xed, 0xa0, 0x80, 0x62))).toBe(1);
    expect(firstInvalidByte(bytes(0x61, 0x62, 0xed, 0xbf, 0xbf))).toBe(2);
  });

  it('finds overlong forms, stray continuation bytes and truncated sequences', () => {
    expect(firstInvalidByte(bytes(0xc0, 0xaf))).toBe(0);
    expect(firstInvalidByte(bytes(0x41, 0x80))).toBe(1);
    expect(firstInvalidByte(bytes(0x41, 0xe2, 0x82))).toBe(1);
    expect(firstInvalidByte(bytes(0xf4, 0x90, 0x80, 0x80))).toBe(0);
    expect(firstInvalidByte(bytes(0xe9))).toBe(0); // Latin-1 é
  });
});

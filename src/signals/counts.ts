import { wordKernel } from '../text/word-kernel-host.js';

/**
 * Whitespace-delimited tokens (the basic length rules; Gopher's rules count tokenizer words):
 * runs of characters that chars.ts does not call whitespace, counted in the word kernel eight
 * at a time (its copy of the text is usually there already, from normalization).
 */
export const countWords = (text: string): number => wordKernel().countWords(text);

import { defineFamily } from './signal.js';

/** The host of a URL, lower-cased, without "www.": what domain lists match against. */
export function urlDomain(url: string | null): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`).hostname.toLowerCase();
    return host.replace(/^www\./, '').replace(/\.$/, '') || null;
  } catch {
    return null;
  }
}

export const urlFamily = defineFamily({
  name: 'url',
  stage: 'final',
  version: 1,
  description: "the document URL's domain",
  needs: { inputs: ['url'] },
  signals: [{ name: 'url_domain', type: 'VARCHAR', description: 'host of the url column, lower case, without "www."' }],
  measure({ inputs }, out) {
    out.url_domain(urlDomain(inputs.url));
  },
});

import { readBvPage } from './bv/bv.page-reader.js';
import { readInventPage } from './invent/invent.page-reader.js';
import type { PageReader } from './page-reading.js';

/**
 * How each provider's pages are read, by provider key. The page decoder's
 * worker loads only this (no Nest, no configuration); a new provider adds
 * its reader here as well as its plugin to the registry.
 */
export const PAGE_READERS: Readonly<Record<string, PageReader>> = {
  invent: readInventPage,
  bv: readBvPage,
};

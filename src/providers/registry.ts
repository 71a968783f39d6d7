import { bvPlugin } from './bv/bv.plugin.js';
import { inventPlugin } from './invent/invent.plugin.js';

/** Every provider the gateway knows. Adding an upstream is one folder, one line here and one in page-readers.ts. */
export const PROVIDER_PLUGINS = [inventPlugin, bvPlugin] as const;

export const PROVIDER_KEYS: readonly string[] = PROVIDER_PLUGINS.map((plugin) => plugin.key);

import { bvUpstream } from './bv/bv.definition.js';
import { inventUpstream } from './invent/invent.definition.js';
import type { UpstreamRegistration } from './upstream-definition.js';

/** Every provider the gateway knows. Adding an upstream is one folder and one line here. */
export const UPSTREAM_REGISTRY: readonly UpstreamRegistration[] = [inventUpstream, bvUpstream];

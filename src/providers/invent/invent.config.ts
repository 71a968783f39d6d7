import type { EnvReader } from '../../config/env-reader.js';
import { ConfigError } from '../../config/config-error.js';

export interface InventConfig {
  readonly apiKey: string;
  readonly baseUrl: string;
  /** Parent org whose sub-orgs are listed; `c` is the API key's own org. */
  readonly orgId: string;
  /** Invent allows 500 requests per minute per IP; the default keeps 10 % headroom. */
  readonly requestsPerMinute: number;
}

export function readInventConfig(env: EnvReader): InventConfig | undefined {
  const apiKey = env.optionalString('INVENT_API_KEY');
  if (apiKey === undefined) return undefined;
  if (!/^[\x21-\x7e]+$/.test(apiKey)) throw new ConfigError('INVENT_API_KEY', 'must be visible ASCII without spaces');
  return {
    apiKey,
    baseUrl: env.upstreamUrl('INVENT_BASE_URL', 'https://api.useinvent.com'),
    orgId: env.string('INVENT_ORG_ID', 'c', /^[A-Za-z0-9_-]{1,128}$/),
    requestsPerMinute: env.int('INVENT_REQUESTS_PER_MINUTE', { default: 450, min: 1, max: 100_000 }),
  };
}

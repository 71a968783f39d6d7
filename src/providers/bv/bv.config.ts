import type { EnvReader } from '../../config/env-reader.js';
import { ConfigError } from '../../config/config-error.js';

export interface BvConfig {
  readonly accessToken: string;
  readonly baseUrl: string;
  /** Sent as `x-bv-org-id` when set. */
  readonly orgId: string | undefined;
}

export function readBvConfig(env: EnvReader): BvConfig | undefined {
  const accessToken = env.optionalString('BV_ACCESS_TOKEN');
  if (accessToken === undefined) return undefined;
  if (!/^[\x21-\x7e]+$/.test(accessToken)) throw new ConfigError('BV_ACCESS_TOKEN', 'must be visible ASCII without spaces');
  const orgId = env.optionalString('BV_ORG_ID');
  if (orgId !== undefined && !/^[A-Za-z0-9_-]{1,128}$/.test(orgId)) {
    throw new ConfigError('BV_ORG_ID', 'must be 1 to 128 letters, digits, "-" or "_"');
  }
  return { accessToken, baseUrl: env.upstreamUrl('BV_BASE_URL', 'https://api.one.blendvision.com'), orgId };
}

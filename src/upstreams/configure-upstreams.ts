import { ConfigError } from '../config/config-error.js';
import { EnvReader, type EnvSource } from '../config/env-reader.js';
import type { Upstream, UpstreamRegistration } from './upstream-definition.js';

/** The providers the environment enables, in registry order; at least one must be. */
export function configureUpstreams(source: EnvSource, registry: readonly UpstreamRegistration[]): readonly Upstream[] {
  const env = new EnvReader(source);
  const keys = registry.map((registration) => registration.key);
  const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
  if (duplicate !== undefined) throw new Error(`two upstream definitions use the key "${duplicate}"`);
  const upstreams = registry.map((registration) => registration.configure(env)).filter((upstream): upstream is Upstream => upstream !== undefined);
  if (upstreams.length === 0) {
    throw new ConfigError(registry.map((registration) => registration.credentialVariable).join(' or '), 'must be set: at least one upstream connection is required');
  }
  return Object.freeze(upstreams);
}

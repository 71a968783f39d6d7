import type { DynamicModule, InjectionToken } from '@nestjs/common';
import type { EnvReader } from '../config/env-reader.js';
import type { RawRecords } from '../cache/raw-records.js';
import type { Deadline } from '../http/deadline.js';
import type { SearchKeys } from '../sub-orgs/sort-order.js';
import type { SubOrg } from '../sub-orgs/sub-org.model.js';

/** Everything one provider walk produced. Raw record i is the upstream original of `items[i]`. */
export interface ProviderFetchResult {
  readonly items: readonly SubOrg[];
  readonly raw: RawRecords;
  /** Records left out because they could not be mapped, or were duplicates. */
  readonly skipped: number;
  readonly pages: number;
  /** The index's per-record keys, when every page came with them. */
  readonly searchKeys?: SearchKeys;
}

/** One upstream platform, as the listing sees it. */
export interface SubOrgProvider {
  readonly key: string;
  readonly label: string;
  /** The upstream API root, without credentials; shown in `/v1/providers`. */
  readonly baseUrl: string;
  /** Walks every upstream page; rejects with an UpstreamError when the walk cannot complete. */
  fetchAll(deadline: Deadline): Promise<ProviderFetchResult>;
}

/** DI token for the array of configured providers. */
export const SUB_ORG_PROVIDERS = Symbol('SUB_ORG_PROVIDERS');

/** A provider that the environment enabled, ready to be wired into the app. */
export interface ConfiguredProvider {
  readonly key: string;
  readonly label: string;
  readonly baseUrl: string;
  readonly module: DynamicModule;
  /** The token under which `module` exports its SubOrgProvider. */
  readonly token: InjectionToken;
  /** Credential values, so logging can scrub them wherever they might appear. */
  readonly secrets: readonly string[];
}

/** How a provider folder plugs itself in: read its own environment, build its module. */
export interface ProviderPlugin<TConfig extends { readonly baseUrl: string }> {
  readonly key: string;
  readonly label: string;
  /** The variable whose presence enables the provider (named in the start-up error when none is). */
  readonly credentialVariable: string;
  /** Returns undefined when the provider's credential is not set (the provider is off). */
  readConfig(env: EnvReader): TConfig | undefined;
  register(config: TConfig): DynamicModule;
  readonly token: InjectionToken;
  secrets(config: TConfig): readonly string[];
}

/** A plugin with its config type sealed inside, so plugins of different configs can share one list. */
export interface ProviderRegistration {
  readonly key: string;
  readonly label: string;
  readonly credentialVariable: string;
  configure(env: EnvReader): ConfiguredProvider | undefined;
}

export function defineProvider<TConfig extends { readonly baseUrl: string }>(plugin: ProviderPlugin<TConfig>): ProviderRegistration {
  return {
    key: plugin.key,
    label: plugin.label,
    credentialVariable: plugin.credentialVariable,
    configure(env) {
      const config = plugin.readConfig(env);
      if (config === undefined) return undefined;
      return { key: plugin.key, label: plugin.label, baseUrl: config.baseUrl, module: plugin.register(config), token: plugin.token, secrets: plugin.secrets(config) };
    },
  };
}

import type { EnvReader } from '../config/env-reader.js';
import type { MappingResult } from './mapping.js';

/** One page request, relative to the upstream's base URL. Arrays become repeated keys (`types=A&types=B`). */
export interface PageRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, string | number | readonly string[]>>;
  readonly headers: Readonly<Record<string, string>>;
}

/** A page body read by its definition: the page's records (and the total, if the upstream says), or why it is unusable. */
export type PageReading = { readonly records: readonly unknown[]; readonly totalItems?: number } | { readonly problem: string };

export type ResponseHeaders = Readonly<Record<string, string | undefined>>;

/**
 * How the walker knows it has every page: `short-page-ends` (no total; the
 * first page shorter than the page size is the last) or `total-items` (page 1
 * says how many records there are).
 */
export type PagingRule = 'short-page-ends' | 'total-items';

/** What the gateway needs to know about a provider's connection once its settings are read. */
export interface UpstreamConnection {
  readonly baseUrl: string;
  /** Credential values, so logging can scrub them wherever they might appear. */
  readonly secrets: readonly string[];
  /** Never more requests than this in any rolling 60 s. */
  readonly requestsPerMinute: number;
}

/**
 * Everything specific to one upstream platform. The one PageWalker does the
 * rest (paging, pacing, budgets, retries, dedupe, counting) for every provider.
 */
export interface UpstreamDefinition<TSettings> {
  /** The provider key in record ids (`<key>:<id>`), the API's `provider` values and config; written only here. */
  readonly key: string;
  readonly label: string;
  /** The variable whose presence enables the provider (named in the start-up error when none is). */
  readonly credentialVariable: string;
  /** Reads the provider's own variables; undefined when its credential is not set (the provider is off). */
  readSettings(env: EnvReader): TSettings | undefined;
  connection(settings: TSettings): UpstreamConnection;
  readonly pageSize: number;
  readonly paging: PagingRule;
  pageRequest(settings: TSettings, page: number): PageRequest;
  /** Pure: a parsed page body (and its response headers) to its records. */
  readPage(body: unknown, headers: ResponseHeaders): PageReading;
  /** Pure: one upstream record to the canonical record (its id made with `provider`, this definition's key), or a reason to skip it. Never throws on bad data. */
  mapRecord(record: unknown, settings: TSettings, provider: string): MappingResult;
}

/** A configured provider with its settings sealed in: what the rest of the gateway works with. */
export interface Upstream extends UpstreamConnection {
  readonly key: string;
  readonly label: string;
  readonly pageSize: number;
  readonly paging: PagingRule;
  pageRequest(page: number): PageRequest;
  readPage(body: unknown, headers: ResponseHeaders): PageReading;
  mapRecord(record: unknown): MappingResult;
}

/** A definition with its settings type hidden, so definitions of different settings share one registry list. */
export interface UpstreamRegistration {
  readonly key: string;
  readonly label: string;
  readonly credentialVariable: string;
  configure(env: EnvReader): Upstream | undefined;
}

export function defineUpstream<TSettings>(definition: UpstreamDefinition<TSettings>): UpstreamRegistration {
  return {
    key: definition.key,
    label: definition.label,
    credentialVariable: definition.credentialVariable,
    configure(env) {
      const settings = definition.readSettings(env);
      if (settings === undefined) return undefined;
      return Object.freeze({
        key: definition.key,
        label: definition.label,
        ...definition.connection(settings),
        pageSize: definition.pageSize,
        paging: definition.paging,
        pageRequest: (page: number) => definition.pageRequest(settings, page),
        readPage: (body: unknown, headers: ResponseHeaders) => definition.readPage(body, headers),
        mapRecord: (record: unknown) => definition.mapRecord(record, settings, definition.key),
      });
    },
  };
}

/** DI token for the configured providers, in registry order. */
export const UPSTREAMS = Symbol('UPSTREAMS');

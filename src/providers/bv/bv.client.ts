import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { Deadline } from '../../http/deadline.js';
import { UpstreamError } from '../../http/upstream-error.js';
import { UpstreamHttpClient } from '../../http/upstream-http.client.js';
import { walkPages } from '../page-walker.js';
import type { ProviderFetchResult, SubOrgProvider } from '../provider.js';
import { PageDecoder } from '../page-decoder.js';
import { isMisshapen } from '../page-reading.js';
import { type PreparedPage, RecordCollector } from '../record-collector.js';
import type { BvConfig } from './bv.config.js';
import { BV_MAX_ITEMS_PER_PAGE } from './bv.types.js';

export const BV_CONFIG = Symbol('BV_CONFIG');

interface BvPage {
  /** The page's records, mapped, with their originals being encoded while the walk goes on. */
  readonly organizations: Promise<PreparedPage>;
  readonly ids: readonly unknown[];
  readonly totalItems: number | undefined;
}

/**
 * Walks `GET /bv/org/v1/sub-orgs`: the first page tells `total_items`, the
 * rest are fetched concurrently. `items_per_page` defaults to 1 upstream, so
 * it is always sent.
 */
@Injectable()
export class BvClient implements SubOrgProvider {
  readonly key = 'bv';
  readonly label = 'BlendVision One';
  private readonly logger = new Logger('BvClient');

  constructor(
    @Inject(BV_CONFIG) private readonly config: BvConfig,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    private readonly http: UpstreamHttpClient,
    private readonly decoder: PageDecoder,
  ) {}

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  async fetchAll(deadline: Deadline): Promise<ProviderFetchResult> {
    const collector = new RecordCollector(this.key, this.logger);
    const first = await this.fetchPage(1, deadline, collector, () => undefined);
    const totalItems = first.totalItems ?? first.ids.length;
    const lastPage = Math.max(1, Math.ceil(totalItems / BV_MAX_ITEMS_PER_PAGE));
    const { maxPages, concurrency } = this.app.upstream;
    if (lastPage > maxPages) {
      throw new UpstreamError(this.key, 'UPSTREAM_BAD_RESPONSE', `${this.label} reports ${totalItems} records, more than the page cap of ${maxPages} pages allows`);
    }
    collector.addInOrder(first.organizations);
    const totalsSeen = new Set<number>([totalItems]);
    const rest =
      lastPage === 1
        ? []
        : await walkPages<Promise<PreparedPage>>({
            provider: this.key,
            label: this.label,
            fetchPage: async (page, pageDeadline, arrived) => {
              const result = await this.fetchPage(page, pageDeadline, collector, arrived);
              if (result.totalItems !== undefined) totalsSeen.add(result.totalItems);
              return { content: result.organizations, ids: result.ids, isLast: result.ids.length === 0 };
            },
            concurrency,
            maxPages,
            deadline,
            firstPage: 2,
            lastPage,
            onPage: (_page, content) => collector.addInOrder(content),
          });
    if (totalsSeen.size > 1) {
      this.logger.warn(`${this.key}: total_items changed during the walk (${[...totalsSeen].join(' -> ')}); the snapshot reflects the pages as fetched`);
    }
    const result = await collector.finishAdded(1 + rest.length);
    if (collector.receivedRecords !== totalItems) {
      this.logger.warn(`${this.key}: total_items promised ${totalItems} records, the pages held ${collector.receivedRecords}`);
    }
    return result;
  }

  private async fetchPage(page: number, deadline: Deadline, collector: RecordCollector, arrived: () => void): Promise<BvPage> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.config.accessToken}` };
    if (this.config.orgId !== undefined) headers['x-bv-org-id'] = this.config.orgId;
    const response = await this.http.get({
      provider: this.key,
      label: this.label,
      url: `${this.config.baseUrl}/bv/org/v1/sub-orgs`,
      query: { current_page: page, items_per_page: BV_MAX_ITEMS_PER_PAGE },
      headers,
      deadline,
      read: (body) => {
        arrived();
        return this.decoder.decode(this.key, body);
      },
    });
    const reading = response.body;
    if (isMisshapen(reading)) throw new UpstreamError(this.key, 'UPSTREAM_BAD_RESPONSE', `${this.label} page ${page} ${reading.problem}`);
    return { organizations: collector.prepare(reading), ids: reading.ids, totalItems: reading.totalItems };
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { Deadline } from '../../http/deadline.js';
import { UpstreamError } from '../../http/upstream-error.js';
import { UpstreamHttpClient } from '../../http/upstream-http.client.js';
import { walkPages, type WalkedPage } from '../page-walker.js';
import type { ProviderFetchResult, SubOrgProvider } from '../provider.js';
import { PageDecoder } from '../page-decoder.js';
import { isMisshapen } from '../page-reading.js';
import { type PreparedPage, RecordCollector } from '../record-collector.js';
import type { InventConfig } from './invent.config.js';
import { INVENT_MAX_TAKE } from './invent.types.js';

export const INVENT_CONFIG = Symbol('INVENT_CONFIG');

/**
 * Walks `GET /orgs/{org_id}/orgs`. Invent gives no total (its pagination-*
 * headers are undocumented hints), so pages are fetched ahead in a bounded
 * window and the first short page ends the walk.
 */
@Injectable()
export class InventClient implements SubOrgProvider {
  readonly key = 'invent';
  readonly label = 'Invent';
  private readonly logger = new Logger('InventClient');

  constructor(
    @Inject(INVENT_CONFIG) private readonly config: InventConfig,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    private readonly http: UpstreamHttpClient,
    private readonly decoder: PageDecoder,
  ) {}

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  async fetchAll(deadline: Deadline): Promise<ProviderFetchResult> {
    const collector = new RecordCollector(this.key, this.logger);
    const pages = await walkPages<Promise<PreparedPage>>({
      provider: this.key,
      label: this.label,
      fetchPage: (page, pageDeadline, arrived) => this.fetchPage(page, pageDeadline, collector, arrived),
      concurrency: this.app.upstream.concurrency,
      maxPages: this.app.upstream.maxPages,
      deadline,
      onPage: (_page, content) => collector.addInOrder(content),
    });
    return collector.finishAdded(pages.length);
  }

  private async fetchPage(page: number, deadline: Deadline, collector: RecordCollector, arrived: () => void): Promise<WalkedPage<Promise<PreparedPage>>> {
    const response = await this.http.get({
      provider: this.key,
      label: this.label,
      url: `${this.config.baseUrl}/orgs/${encodeURIComponent(this.config.orgId)}/orgs`,
      query: { page, take: INVENT_MAX_TAKE },
      headers: { authorization: `Bearer ${this.config.apiKey}` },
      deadline,
      requestsPerMinute: this.config.requestsPerMinute,
      read: (body) => {
        arrived();
        return this.decoder.decode(this.key, body, { parentOrgId: this.config.orgId });
      },
    });
    const reading = response.body;
    if (isMisshapen(reading)) throw new UpstreamError(this.key, 'UPSTREAM_BAD_RESPONSE', `${this.label} page ${page} ${reading.problem}`);
    return { content: collector.prepare(reading), ids: reading.ids, isLast: reading.ids.length < INVENT_MAX_TAKE };
  }
}

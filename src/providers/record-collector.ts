import type { Logger } from '@nestjs/common';
import { type RawPage, RawPageEncoder, RawRecordsBuilder } from '../cache/raw-records.js';
import { type PageSearchKeys, SearchKeysBuilder } from '../sub-orgs/sort-order.js';
import type { SubOrg } from '../sub-orgs/sub-org.model.js';
import type { MappingResult } from './mapping.js';
import type { PageReading } from './page-reading.js';
import type { ProviderFetchResult } from './provider.js';

/** One upstream page, mapped and with its (redacted) originals encoded, ready to collect. */
export interface PreparedPage {
  readonly mapped: readonly MappingResult[];
  readonly raw: RawPage;
  readonly searchKeys?: PageSearchKeys;
}

/**
 * One walk's records: prepares each page as it arrives (encoding its
 * originals), then gathers them in page order, keeping the
 * first record of each id, counting what was skipped and why, and logging
 * each reason once per walk.
 */
export class RecordCollector {
  private readonly items: SubOrg[] = [];
  private readonly raw = new RawRecordsBuilder();
  private readonly encoder = new RawPageEncoder();
  private readonly ids = new Set<string>();
  private readonly reasons = new Map<string, number>();
  private skipped = 0;
  private received = 0;
  /** Pages handed over in order, added as each is prepared. */
  private added: Promise<void> = Promise.resolve();
  /** Until a page comes without keys: then the index works them out itself. */
  private searchKeys: SearchKeysBuilder | undefined = new SearchKeysBuilder(true);

  constructor(
    private readonly provider: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Encodes a read page's originals (deflating them once the walk is past its
   * plain budget). The rejection handler only marks the promise as observed;
   * the walk awaits it and sees any failure.
   */
  prepare(page: PageReading): Promise<PreparedPage> {
    const prepared = this.encoder.encode(page.original).then((raw) => ({ mapped: page.mapped, raw, searchKeys: page.searchKeys }));
    prepared.catch(() => undefined);
    return prepared;
  }

  /**
   * Adds a page once it is prepared, after every page handed over before it:
   * records are gathered during the walk, not all after its last page.
   */
  addInOrder(page: Promise<PreparedPage>): void {
    this.added = this.added.then(() => page).then((prepared) => this.addPage(prepared));
    // Observed here; finishAdded() awaits it and sees any failure.
    this.added.catch(() => undefined);
  }

  /** Records received from the upstream so far (kept or skipped). */
  get receivedRecords(): number {
    return this.received;
  }

  /** Waits for the pages handed to addInOrder, then finishes. */
  async finishAdded(pages: number): Promise<ProviderFetchResult> {
    await this.added;
    return this.finish(pages);
  }

  addPage(page: PreparedPage): void {
    this.received += page.mapped.length;
    const number = this.raw.addPage(page.raw);
    const keys = page.searchKeys;
    if (keys === undefined) this.searchKeys = undefined;
    page.mapped.forEach((mapped, i) => {
      const kept = this.keep(mapped, number, i);
      if (kept !== undefined) this.searchKeys?.add(keys!.searchableNames[i], keys!.nameKeys[i], keys!.createdTimes[i], kept.id);
    });
    this.searchKeys?.endPage();
  }

  finish(pages: number): ProviderFetchResult {
    if (this.skipped > 0) {
      const summary = [...this.reasons].map(([reason, count]) => `${reason} (x${count})`).join('; ');
      this.logger.warn(`${this.provider}: skipped ${this.skipped} upstream record(s): ${summary}`);
    }
    const searchKeys = this.searchKeys?.build();
    return { items: this.items, raw: this.raw.build(), skipped: this.skipped, pages, ...(searchKeys === undefined ? {} : { searchKeys }) };
  }

  /** Keeps the record unless it is to be skipped; returns it when kept. */
  private keep(mapped: MappingResult, page: number, index: number): SubOrg | undefined {
    if (!mapped.ok) return this.skip(mapped.reason);
    if (this.ids.has(mapped.subOrg.id)) return this.skip('duplicate id');
    this.ids.add(mapped.subOrg.id);
    this.items.push(mapped.subOrg);
    this.raw.add(page, index);
    return mapped.subOrg;
  }

  private skip(reason: string): undefined {
    this.skipped++;
    // Reasons may name a record id; keep the key generic so one log line summarises a bad batch.
    const key = reason.replace(/^record \S+: /, '');
    this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
    return undefined;
  }
}

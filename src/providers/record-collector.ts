import type { Logger } from '@nestjs/common';
import { type RawPage, RawPageEncoder, RawRecordsBuilder } from '../cache/raw-records.js';
import type { SubOrg } from '../sub-orgs/sub-org.model.js';
import type { MappingResult } from './mapping.js';
import type { ProviderFetchResult } from './provider.js';

/** One upstream page, mapped and with its (redacted) originals encoded, ready to collect. */
export interface PreparedPage {
  readonly mapped: readonly MappingResult[];
  readonly raw: RawPage;
}

/** Ids of a page's upstream records as sent, for spotting repeated pages before any mapping. */
export const upstreamIds = (records: readonly unknown[]): readonly unknown[] =>
  records.map((record) => (typeof record === 'object' && record !== null && 'id' in record ? record.id : undefined));

/**
 * One walk's records: prepares each page as it arrives (mapping it and
 * encoding its originals), then gathers them in page order, keeping the
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

  constructor(
    private readonly provider: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Prepares a page on the next turn of the event loop, so the walk sends its
   * next page request before this page is mapped (the request's bytes leave
   * on this turn), and the mapping overlaps that request's wait. `recordsJson`
   * is the page's records as the UTF-8 JSON array they came in (credentials
   * already removed), kept as their originals. The rejection handler only
   * marks the promise as observed; the walk awaits it and sees any failure.
   */
  prepareInBackground(records: readonly unknown[], map: (record: unknown) => MappingResult, recordsJson: Buffer): Promise<PreparedPage> {
    const prepared = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      const mapped = records.map(map);
      return { mapped, raw: await this.encoder.encode(recordsJson) };
    });
    prepared.catch(() => undefined);
    return prepared;
  }

  addPage(page: PreparedPage): void {
    const number = this.raw.addPage(page.raw);
    page.mapped.forEach((mapped, i) => this.add(mapped, number, i));
  }

  finish(pages: number): ProviderFetchResult {
    if (this.skipped > 0) {
      const summary = [...this.reasons].map(([reason, count]) => `${reason} (x${count})`).join('; ');
      this.logger.warn(`${this.provider}: skipped ${this.skipped} upstream record(s): ${summary}`);
    }
    return { items: this.items, raw: this.raw.build(), skipped: this.skipped, pages };
  }

  private add(mapped: MappingResult, page: number, index: number): void {
    if (!mapped.ok) return this.skip(mapped.reason);
    if (this.ids.has(mapped.subOrg.id)) return this.skip('duplicate id');
    this.ids.add(mapped.subOrg.id);
    this.items.push(mapped.subOrg);
    this.raw.add(page, index);
  }

  private skip(reason: string): void {
    this.skipped++;
    // Reasons may name a record id; keep the key generic so one log line summarises a bad batch.
    const key = reason.replace(/^record \S+: /, '');
    this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
  }
}

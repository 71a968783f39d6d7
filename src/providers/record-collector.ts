import type { Logger } from '@nestjs/common';
import { RawRecordsBuilder } from '../cache/raw-records.js';
import type { SubOrg } from '../sub-orgs/sub-org.model.js';
import type { MappingResult } from './mapping.js';
import type { ProviderFetchResult } from './provider.js';

/**
 * Gathers mapped records of one walk: keeps the first record of each id,
 * counts what was skipped and why, and logs each reason once per walk.
 */
export class RecordCollector {
  private readonly items: SubOrg[] = [];
  private readonly raw = new RawRecordsBuilder();
  private readonly ids = new Set<string>();
  private readonly reasons = new Map<string, number>();
  private skipped = 0;

  constructor(
    private readonly provider: string,
    private readonly logger: Logger,
    private readonly redactRaw: (raw: unknown) => unknown = (raw) => raw,
  ) {}

  add(raw: unknown, mapped: MappingResult): void {
    if (!mapped.ok) return this.skip(mapped.reason);
    if (this.ids.has(mapped.subOrg.id)) return this.skip('duplicate id');
    this.ids.add(mapped.subOrg.id);
    this.items.push(mapped.subOrg);
    this.raw.add(this.redactRaw(raw));
  }

  finish(pages: number): ProviderFetchResult {
    if (this.skipped > 0) {
      const summary = [...this.reasons].map(([reason, count]) => `${reason} (x${count})`).join('; ');
      this.logger.warn(`${this.provider}: skipped ${this.skipped} upstream record(s): ${summary}`);
    }
    return { items: this.items, raw: this.raw.build(), skipped: this.skipped, pages };
  }

  private skip(reason: string): void {
    this.skipped++;
    // Reasons may name a record id; keep the key generic so one log line summarises a bad batch.
    const key = reason.replace(/^record \S+: /, '');
    this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
  }
}

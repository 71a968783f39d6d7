import type { Logger } from '@nestjs/common';
import { RawRecordsBuilder, encodeRawRecord } from '../cache/raw-records.js';
import type { SubOrg } from '../sub-orgs/sub-org.model.js';
import type { MappingResult } from './mapping.js';
import type { ProviderFetchResult } from './provider.js';

/** One upstream record, mapped and with its (redacted) original encoded, ready to collect. */
export interface PreparedRecord {
  readonly mapped: MappingResult;
  readonly raw: Buffer;
}

/**
 * Maps a page as soon as it arrives, so the CPU work of a walk overlaps the
 * waits for the pages still in flight instead of piling up at the end.
 */
export function preparePage(
  records: readonly unknown[],
  map: (record: unknown) => MappingResult,
  redactRaw: (raw: unknown) => unknown = (raw) => raw,
): PreparedRecord[] {
  return records.map((record) => {
    const mapped = map(record);
    return { mapped, raw: mapped.ok ? encodeRawRecord(redactRaw(record)) : EMPTY };
  });
}

const EMPTY = Buffer.alloc(0);

/** Identity of a prepared record, for spotting repeated pages. */
export const preparedId = (record: PreparedRecord): string | undefined => (record.mapped.ok ? record.mapped.subOrg.id : undefined);

/**
 * Gathers the prepared records of one walk in page order: keeps the first
 * record of each id, counts what was skipped and why, and logs each reason
 * once per walk.
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
  ) {}

  addPage(records: readonly PreparedRecord[]): void {
    for (const record of records) this.add(record);
  }

  finish(pages: number): ProviderFetchResult {
    if (this.skipped > 0) {
      const summary = [...this.reasons].map(([reason, count]) => `${reason} (x${count})`).join('; ');
      this.logger.warn(`${this.provider}: skipped ${this.skipped} upstream record(s): ${summary}`);
    }
    return { items: this.items, raw: this.raw.build(), skipped: this.skipped, pages };
  }

  private add({ mapped, raw }: PreparedRecord): void {
    if (!mapped.ok) return this.skip(mapped.reason);
    if (this.ids.has(mapped.subOrg.id)) return this.skip('duplicate id');
    this.ids.add(mapped.subOrg.id);
    this.items.push(mapped.subOrg);
    this.raw.addEncoded(raw);
  }

  private skip(reason: string): void {
    this.skipped++;
    // Reasons may name a record id; keep the key generic so one log line summarises a bad batch.
    const key = reason.replace(/^record \S+: /, '');
    this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
  }
}

/**
 * Upstream originals kept compactly: one UTF-8 JSON buffer and the offsets of
 * each record in it. 100k parsed records would cost hundreds of MB of objects;
 * this costs their JSON size, and a record is parsed only when asked for.
 */
export interface RawRecords {
  readonly data: Buffer;
  /** `offsets[i]..offsets[i+1]` is record i; length is count + 1. */
  readonly offsets: Uint32Array;
}

export class RawRecordsBuilder {
  private readonly chunks: Buffer[] = [];
  private readonly ends: number[] = [0];
  private size = 0;

  add(record: unknown): void {
    this.addEncoded(encodeRawRecord(record));
  }

  addEncoded(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    this.ends.push(this.size);
  }

  build(): RawRecords {
    return { data: Buffer.concat(this.chunks, this.size), offsets: Uint32Array.from(this.ends) };
  }
}

export function encodeRawRecord(record: unknown): Buffer {
  return Buffer.from(JSON.stringify(record) ?? 'null', 'utf8');
}

export function encodeRawRecords(records: readonly unknown[]): RawRecords {
  const builder = new RawRecordsBuilder();
  for (const record of records) builder.add(record);
  return builder.build();
}

export function rawRecordAt(raw: RawRecords, index: number): unknown {
  return JSON.parse(raw.data.toString('utf8', raw.offsets[index], raw.offsets[index + 1])) as unknown;
}

import type { MappingResult } from './mapping.js';

/** Messages between the PageDecoder and its worker thread. Bytes travel as transferred ArrayBuffers, never copied. */
export interface DecodeRequest {
  readonly id: number;
  readonly provider: string;
  readonly body: Uint8Array;
  readonly options: Readonly<Record<string, string>>;
}

/** What recordsJson holds. */
export interface DecodedRecords {
  readonly mapped: readonly MappingResult[];
  readonly searchableNames: readonly string[];
  readonly nameKeys: readonly string[];
}

export type DecodeReply =
  | {
      readonly id: number;
      readonly kind: 'page';
      /**
       * The mapped records and their searchable names and name keys, as JSON:
       * cheaper to parse on the main thread than a structured clone is to deserialise.
       */
      readonly recordsJson: string;
      readonly createdTimes: Float64Array;
      readonly ids: readonly unknown[];
      readonly original: Uint8Array;
      readonly totalItems?: number;
    }
  | { readonly id: number; readonly kind: 'misshapen'; readonly problem: string }
  | { readonly id: number; readonly kind: 'invalid-json' }
  | { readonly id: number; readonly kind: 'failed'; readonly message: string };

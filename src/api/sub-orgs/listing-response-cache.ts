import { createHash } from 'node:crypto';

export interface CachedResponse {
  readonly body: Buffer;
  readonly etag: string;
  /** Epoch ms after which the sources behind it are no longer fresh. */
  readonly validUntil: number;
  /** The snapshot generation it was built from; any new snapshot invalidates it. */
  readonly generation: number;
  /** Headers that belong to this body (pagination). */
  readonly headers: Readonly<Record<string, string>>;
}

const MAX_ENTRIES = 2000;
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Serialised listing responses by request URL, while every source behind
 * them is fresh and unchanged. Warm dashboards repeat the same few URLs; this
 * turns each repeat into a lookup and a buffer write. Only complete, fresh
 * answers are kept (never partial or stale ones), and the cache sits after
 * the API-key guard, so it never serves one caller what another may not see.
 */
export class ListingResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;

  get(url: string, generation: number, now = Date.now()): CachedResponse | undefined {
    const entry = this.entries.get(url);
    if (entry === undefined) return undefined;
    if (entry.generation !== generation || entry.validUntil <= now) {
      this.delete(url, entry);
      return undefined;
    }
    return entry;
  }

  /** Weak tags: the same listing is sent identity, gzip or br encoded, byte-different but equivalent. */
  set(url: string, body: Buffer, validUntil: number, generation: number, headers: Readonly<Record<string, string>> = {}): CachedResponse {
    const entry: CachedResponse = { body, etag: `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, validUntil, generation, headers };
    const previous = this.entries.get(url);
    if (previous !== undefined) this.delete(url, previous);
    this.entries.set(url, entry);
    this.bytes += body.length;
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.delete(oldest, old);
    }
    return entry;
  }

  private delete(url: string, entry: CachedResponse): void {
    this.entries.delete(url);
    this.bytes -= entry.body.length;
  }
}

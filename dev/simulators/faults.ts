/**
 * Fault switches for a simulator. Counted faults (`failRequests`,
 * `rateLimitRequests`) apply to the next N list requests and then clear, so a
 * test can script "a burst, then recovery".
 */
export interface FaultPlan {
  /** Delay before every list response, in ms. */
  latencyMs?: number;
  /** Requests for these page numbers answer `failStatus` (503 by default) until the plan changes. */
  failPages?: number[];
  /** The next N list requests answer `failStatus`. */
  failRequests?: number;
  failStatus?: number;
  /** The next N list requests answer 429 with `Retry-After: retryAfter`. */
  rateLimitRequests?: number;
  retryAfter?: string;
  /** Every list request is accepted and never answered. */
  hang?: boolean;
  /** Every list request has its connection destroyed before any answer. */
  resetConnection?: boolean;
  /** Every list response is 200 with a body that is not JSON. */
  malformedBody?: boolean;
  /** Every list response is 200 JSON of the wrong shape (an object instead of the expected envelope). */
  wrongEnvelope?: boolean;
  /** Every list response is a full page, forever (a runaway upstream). */
  endlessPages?: boolean;
  /** Every list request answers 302 to this location (e.g. an attacker's host, which must not be followed). */
  redirectTo?: string;
  /** Every list request answers 401 as if the credential were revoked. */
  rejectCredential?: boolean;
  /** Each page also carries records that cannot be mapped (no id, no name, wrong types) and one with an unknown enum. */
  injectBadRecords?: boolean;
  /** Each page after the first repeats the last record of the page before. */
  duplicateAcrossPages?: boolean;
  /** bv: `total_items` grows by this much on every page after the first. */
  driftTotal?: number;
  /** bv: every page is one record short of what `total_items` promises. */
  shortPages?: boolean;
}

export interface SimulatorStats {
  /** List requests received (control endpoints are not counted). */
  readonly listRequests: number;
  /** List requests for page 1: one per upstream walk. */
  readonly walks: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** List requests per page number. */
  readonly pageRequests: Readonly<Record<number, number>>;
  /** The most list requests that were in flight at once. */
  readonly maxInFlight: number;
  /** Requests refused by the vendor's request limit (Invent's 429s, bv's suspension 403s). */
  readonly limited: number;
}

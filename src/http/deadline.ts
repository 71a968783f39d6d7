import { UpstreamError } from './upstream-error.js';

/** A point in time after which work is abandoned, with the AbortSignal that fires then. */
export class Deadline {
  constructor(
    readonly signal: AbortSignal,
    readonly expiresAt: number,
    /** The request this work is for; sent upstream as X-Request-Id. */
    readonly requestId?: string,
  ) {}

  static after(ms: number, requestId?: string): Deadline {
    return new Deadline(AbortSignal.timeout(ms), Date.now() + ms, requestId);
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - Date.now());
  }

  /** The same deadline, also aborted by `signal` (e.g. a walk cancelling its other pages). */
  linkedWith(signal: AbortSignal): Deadline {
    return new Deadline(AbortSignal.any([this.signal, signal]), this.expiresAt, this.requestId);
  }
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Waits for `work` but gives up when `signal` aborts. The work itself goes on
 * (it may be shared with other waiters); only this wait ends.
 */
export function waitUntilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => UpstreamError): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

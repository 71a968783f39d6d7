import { UpstreamError } from '../http/upstream-error.js';

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

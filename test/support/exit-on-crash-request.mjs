// A worker listener registered before the real page decoder's: a request for the provider "crash" ends the worker
// thread at once (exit code 3), as an out-of-memory or a fatal error would.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (request) => {
  if (request.provider === 'crash') process.exit(3);
});

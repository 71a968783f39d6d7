import { parentPort } from 'node:worker_threads';
import { PAGE_READERS } from './page-readers.js';
import { isMisshapen, pageSearchKeys } from './page-reading.js';
import type { DecodeReply, DecodeRequest, DecodedRecords } from './page-decoder.protocol.js';
import { ownBytes } from '../runtime/owned-bytes.js';

function decode({ id, provider, body, options }: DecodeRequest): DecodeReply {
  const read = PAGE_READERS[provider];
  if (read === undefined) return { id, kind: 'failed', message: `no page reader for provider "${provider}"` };
  let outcome;
  try {
    outcome = read(Buffer.from(body.buffer, body.byteOffset, body.byteLength), options);
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return { id, kind: 'invalid-json' };
    return { id, kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  if (isMisshapen(outcome)) return { id, kind: 'misshapen', problem: outcome.problem };
  const { mapped, ids, original, totalItems } = outcome;
  const { searchableNames, nameKeys, createdTimes } = pageSearchKeys(mapped);
  const records: DecodedRecords = { mapped, searchableNames, nameKeys };
  return {
    id,
    kind: 'page',
    recordsJson: JSON.stringify(records),
    createdTimes: createdTimes as Float64Array,
    ids,
    original: ownBytes(original),
    ...(totalItems === undefined ? {} : { totalItems }),
  };
}

parentPort!.on('message', (request: DecodeRequest) => {
  const reply = decode(request);
  parentPort!.postMessage(reply, reply.kind === 'page' ? [reply.original.buffer as ArrayBuffer, reply.createdTimes.buffer as ArrayBuffer] : []);
});

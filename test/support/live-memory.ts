import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setImmediate as nextTurn } from 'node:timers/promises';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Bytes still reachable after full collections: what the process holds, not
 * the garbage it happens not to have collected yet. Without forced
 * collections a heap reading swings by tens of megabytes with GC timing;
 * buffers' memory is released a turn after the collection that freed them.
 */
export async function liveBytes(): Promise<number> {
  for (let round = 0; round < 3; round += 1) {
    collectGarbage();
    await nextTurn();
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

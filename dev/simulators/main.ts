import { BvSimulator } from './bv-simulator.js';
import { InventSimulator } from './invent-simulator.js';

/** Default credentials of the simulators; they guard nothing real and are printed on start. */
export const SIMULATOR_CREDENTIALS = { inventApiKey: 'sim-invent-key', bvAccessToken: 'sim-bv-token' } as const;

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : fallback;
}

/** `SIM_LIMITS=off` turns the vendors' request limits off (they are on by default, as upstream). */
const limitsOn = (): boolean => process.env.SIM_LIMITS !== 'off';

export async function startSimulators(options: { inventPort?: number; bvPort?: number; inventCount?: number; bvCount?: number; host?: string } = {}) {
  const limits = limitsOn() ? {} : { rateLimit: false as const, peakRule: false as const };
  const invent = await new InventSimulator({ apiKey: SIMULATOR_CREDENTIALS.inventApiKey, count: options.inventCount, ...limits }).start(options.inventPort ?? 0, options.host);
  const bv = await new BvSimulator({ accessToken: SIMULATOR_CREDENTIALS.bvAccessToken, count: options.bvCount, ...limits }).start(options.bvPort ?? 0, options.host);
  return { invent, bv };
}

/** One simulator alone (`SIM_ONLY=invent|bv`), e.g. so each upstream gets its own process in a benchmark. */
async function startOne(kind: string, host: string): Promise<InventSimulator | BvSimulator> {
  if (kind === 'invent') {
    const apiKey = process.env.SIM_INVENT_API_KEY ?? SIMULATOR_CREDENTIALS.inventApiKey;
    return new InventSimulator({ apiKey, count: intFromEnv('SIM_INVENT_COUNT', 250), ...(limitsOn() ? {} : { rateLimit: false }) }).start(intFromEnv('SIM_INVENT_PORT', 4010), host);
  }
  const accessToken = process.env.SIM_BV_ACCESS_TOKEN ?? SIMULATOR_CREDENTIALS.bvAccessToken;
  return new BvSimulator({ accessToken, count: intFromEnv('SIM_BV_COUNT', 230), ...(limitsOn() ? {} : { peakRule: false }) }).start(intFromEnv('SIM_BV_PORT', 4020), host);
}

async function main(): Promise<void> {
  const host = process.env.SIM_HOST ?? '127.0.0.1';
  const only = process.env.SIM_ONLY;
  if (only === 'invent' || only === 'bv') {
    const simulator = await startOne(only, host);
    process.stdout.write(`${only} simulator: ${simulator.url}\n`);
    process.once('SIGTERM', () => void simulator.stop().then(() => process.exit(0)));
    process.once('SIGINT', () => void simulator.stop().then(() => process.exit(0)));
    return;
  }
  const { invent, bv } = await startSimulators({
    host,
    inventPort: intFromEnv('SIM_INVENT_PORT', 4010),
    bvPort: intFromEnv('SIM_BV_PORT', 4020),
    inventCount: intFromEnv('SIM_INVENT_COUNT', 250),
    bvCount: intFromEnv('SIM_BV_COUNT', 230),
  });
  process.stdout.write(
    [
      `Invent simulator: ${invent.url}  (INVENT_API_KEY=${SIMULATOR_CREDENTIALS.inventApiKey}, ${invent.records.length} orgs)`,
      `bv simulator:     ${bv.url}  (BV_ACCESS_TOKEN=${SIMULATOR_CREDENTIALS.bvAccessToken}, ${bv.records.length} orgs)`,
      'Control: GET /__sim/stats, POST /__sim/faults (JSON FaultPlan), POST /__sim/reset',
      '',
    ].join('\n'),
  );
  const stop = (): void => void Promise.all([invent.stop(), bv.stop()]).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) void main();

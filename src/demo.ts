import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { loadConfig } from './config/load-config.js';
import { SIMULATOR_CREDENTIALS, startSimulators } from './simulators/main.js';

/** `npm run demo`: both simulators and the gateway wired to them, no configuration needed. */
async function main(): Promise<void> {
  const { invent, bv } = await startSimulators();
  const port = process.env.PORT ?? '3000';
  const config = loadConfig({
    ...process.env,
    PORT: port,
    INVENT_API_KEY: SIMULATOR_CREDENTIALS.inventApiKey,
    INVENT_BASE_URL: invent.url,
    BV_ACCESS_TOKEN: SIMULATOR_CREDENTIALS.bvAccessToken,
    BV_BASE_URL: bv.url,
  });
  const app = await createApp(config);
  await app.listen({ port: config.port, host: '127.0.0.1' });
  const base = `http://localhost:${config.port}`;
  process.stdout.write(
    [
      '',
      'suborg-gateway demo is running against built-in simulators:',
      `  Invent simulator  ${invent.url}`,
      `  bv simulator      ${bv.url}`,
      `  Listing           ${base}/v1/sub-orgs?pageSize=5`,
      `  Filtered          ${base}/v1/sub-orgs?q=z%C3%BCrich&sort=-createdAt`,
      `  Providers         ${base}/v1/providers`,
      `  API docs          ${base}/docs`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = (): void => void app.close().then(() => Promise.all([invent.stop(), bv.stop()])).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();

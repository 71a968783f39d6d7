import 'reflect-metadata';
import { createApp } from '../src/app.factory.js';
import { loadAppConfig } from '../src/config/load-config.js';
import { configureUpstreams } from '../src/upstreams/configure-upstreams.js';
import { UPSTREAM_REGISTRY } from '../src/upstreams/registry.js';
import { SIMULATOR_CREDENTIALS, startSimulators } from './simulators/main.js';

/** `npm run demo`: both simulators and the gateway wired to them, no configuration needed. */
async function main(): Promise<void> {
  const { invent, bv } = await startSimulators();
  const env = {
    ...process.env,
    PORT: process.env.PORT ?? '3000',
    HOST: process.env.HOST ?? '127.0.0.1',
    INVENT_API_KEY: SIMULATOR_CREDENTIALS.inventApiKey,
    INVENT_BASE_URL: invent.url,
    BV_ACCESS_TOKEN: SIMULATOR_CREDENTIALS.bvAccessToken,
    BV_BASE_URL: bv.url,
  };
  const config = loadAppConfig(env);
  const app = await createApp(config, configureUpstreams(env, UPSTREAM_REGISTRY));
  await app.listen({ port: config.http.port, host: config.http.host });
  const base = `http://localhost:${config.http.port}`;
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

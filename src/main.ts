import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { pino } from 'pino';
import { createApp, gatewaySecrets } from './app.factory.js';
import { ConfigError } from './config/config-error.js';
import { loadAppConfig } from './config/load-config.js';
import { JsonNestLogger, createJsonLogger } from './observability/json-logger.js';
import { configureUpstreams } from './upstreams/configure-upstreams.js';
import { UPSTREAM_REGISTRY } from './upstreams/registry.js';

function loadConfiguration() {
  try {
    return { config: loadAppConfig(process.env), upstreams: configureUpstreams(process.env, UPSTREAM_REGISTRY) };
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const { config, upstreams } = loadConfiguration();
  // Asynchronous writes (lines queue while one write is in flight, so a busy gateway makes one write per
  // batch, not per line); pino flushes the queue synchronously on 'exit', which shutdown reaches.
  const log = createJsonLogger(gatewaySecrets(config, upstreams), pino.destination({ dest: 1, sync: false }), config.logLevel);
  const app = await createApp(config, upstreams, { logger: new JsonNestLogger(log), requestLog: log });
  const logger = new Logger('Bootstrap');
  if (config.apiKeys.length === 0) logger.warn('API_KEYS is not set: /v1 endpoints are open to anyone who can reach this port');
  await app.listen({ port: config.http.port, host: config.http.host });
  // Upstream URLs are shown here, to operators, and in no API response.
  const targets = upstreams.map((upstream) => `${upstream.key} -> ${upstream.baseUrl} (${upstream.requestsPerMinute} requests/min)`).join(', ');
  logger.log(`suborg-gateway listening on ${config.http.host}:${config.http.port}; upstreams: ${targets}`);
}

void main();

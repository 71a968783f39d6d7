import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { configuredSecrets } from './config/app-config.js';
import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';
import { pino } from 'pino';
import { JsonNestLogger, createJsonLogger } from './logging/json-logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Asynchronous writes (lines queue while one write is in flight, so a busy gateway makes one write per
  // batch, not per line); pino flushes the queue synchronously on 'exit', which shutdown now reaches.
  const log = createJsonLogger(configuredSecrets(config), pino.destination({ dest: 1, sync: false }), config.logLevel);
  const app = await createApp(config, { logger: new JsonNestLogger(log), requestLog: log });
  const logger = new Logger('Bootstrap');
  if (config.apiKeys.length === 0) logger.warn('API_KEYS is not set: /v1 endpoints are open to anyone who can reach this port');
  await app.listen({ port: config.port, host: '0.0.0.0' });
  logger.log(`suborg-gateway listening on :${config.port} with providers: ${config.providers.map((p) => p.key).join(', ')}`);
}

void main();

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';

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
  const app = await createApp(config);
  const logger = new Logger('Bootstrap');
  if (config.apiKeys.length === 0) logger.warn('API_KEYS is not set: /v1 endpoints are open to anyone who can reach this port');
  await app.listen({ port: config.port, host: '0.0.0.0' });
  logger.log(`suborg-gateway listening on :${config.port} with providers: ${config.providers.map((p) => p.key).join(', ')}`);
}

void main();

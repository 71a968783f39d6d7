import { defineProvider } from '../provider.js';
import { InventClient } from './invent.client.js';
import { type InventConfig, readInventConfig } from './invent.config.js';
import { InventModule } from './invent.module.js';

export const inventPlugin = defineProvider<InventConfig>({
  key: 'invent',
  label: 'Invent',
  credentialVariable: 'INVENT_API_KEY',
  readConfig: readInventConfig,
  register: (config) => InventModule.register(config),
  secrets: (config) => [config.apiKey],
  token: InventClient,
});

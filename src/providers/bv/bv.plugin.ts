import { defineProvider } from '../provider.js';
import { BvClient } from './bv.client.js';
import { type BvConfig, readBvConfig } from './bv.config.js';
import { BvModule } from './bv.module.js';

export const bvPlugin = defineProvider<BvConfig>({
  key: 'bv',
  label: 'BlendVision One',
  credentialVariable: 'BV_ACCESS_TOKEN',
  readConfig: readBvConfig,
  register: (config) => BvModule.register(config),
  secrets: (config) => [config.accessToken],
  token: BvClient,
});

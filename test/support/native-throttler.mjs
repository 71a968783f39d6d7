// @nestjs/throttler 6 is CommonJS and require()s the ESM-only @nestjs/common 12.
// Node 20.19 can do that natively (production loads it exactly that way), but
// jest's module runtime cannot before Node 24.9. So under jest the package is
// loaded by Node's own require, taken from the process's main context
// (jest replaces `module` and process.getBuiltinModule inside its sandbox);
// everything exported here is the real library.
import { runInThisContext } from 'node:vm';

const { createRequire } = runInThisContext("process.getBuiltinModule('node:module')");
const throttler = createRequire(import.meta.url)('@nestjs/throttler');

export const {
  getOptionsToken,
  getStorageToken,
  DEFAULT_IPV6_SUBNET_PREFIX,
  normalizeIp,
  ThrottlerStorage,
  Throttle,
  SkipThrottle,
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  throttlerMessage,
  ThrottlerException,
  ThrottlerGuard,
  ThrottlerModule,
  DEFAULT_SWEEP_INTERVAL,
  ThrottlerStorageService,
  seconds,
  minutes,
  hours,
  days,
  weeks,
} = throttler;

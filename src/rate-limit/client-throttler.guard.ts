import { Injectable } from '@nestjs/common';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
  ThrottlerGuard,
} from '@nestjs/throttler';
import { GatewayErrorCode, GatewayException } from '../errors/gateway.exception.js';
import { MemoizedReflector } from './memoized-reflector.js';

/**
 * The throttler guard with our problem document. The client is `request.ip`,
 * which Fastify derives from X-Forwarded-For only as far as TRUST_PROXY allows.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  // Reads route metadata through a MemoizedReflector (it is fixed once the app has started). Declaring the
  // constructor here also keeps Nest from resolving the library's own Reflector parameter type, which is a
  // different class when jest loads the CommonJS throttler apart from the app (see test/support).
  constructor(@InjectThrottlerOptions() options: ThrottlerModuleOptions, @InjectThrottlerStorage() storage: ThrottlerStorage) {
    super(options, storage, new MemoizedReflector());
  }

  protected override throwThrottlingException(_context: unknown, detail: ThrottlerLimitDetail): Promise<void> {
    throw new GatewayException(
      GatewayErrorCode.RateLimited,
      `At most ${detail.limit} requests per ${Math.round(detail.ttl / 1000)} s per client; retry after ${detail.timeToBlockExpire} s`,
    );
  }
}

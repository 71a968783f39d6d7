import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
  ThrottlerGuard,
} from '@nestjs/throttler';
import { GatewayErrorCode, GatewayException } from '../errors/gateway.exception.js';

/**
 * The throttler guard with our problem document. The client is `request.ip`,
 * which Fastify derives from X-Forwarded-For only as far as TRUST_PROXY allows.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  // Declared here so the Reflector token is the app's own @nestjs/core class, whichever way the CommonJS throttler was loaded.
  constructor(@InjectThrottlerOptions() options: ThrottlerModuleOptions, @InjectThrottlerStorage() storage: ThrottlerStorage, reflector: Reflector) {
    super(options, storage, reflector);
  }

  protected override throwThrottlingException(_context: unknown, detail: ThrottlerLimitDetail): Promise<void> {
    throw new GatewayException(
      GatewayErrorCode.RateLimited,
      `At most ${detail.limit} requests per ${Math.round(detail.ttl / 1000)} s per client; retry after ${detail.timeToBlockExpire} s`,
    );
  }
}

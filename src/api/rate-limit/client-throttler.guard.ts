import { type ExecutionContext, Injectable } from '@nestjs/common';
import { type ThrottlerLimitDetail, ThrottlerGuard } from '@nestjs/throttler';
import { GatewayErrorCode, GatewayException } from '../../domain/gateway-error.js';

/**
 * The throttler guard with our problem document. The client is `request.ip`,
 * which Fastify derives from X-Forwarded-For only as far as TRUST_PROXY allows.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  // The library sets X-RateLimit-* only on answers it lets through; a 429 carries them too (and Retry-After, set by the library).
  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, `${this.headerPrefix}-Limit`, detail.limit);
    this.setResponseHeader(res, `${this.headerPrefix}-Remaining`, 0);
    this.setResponseHeader(res, `${this.headerPrefix}-Reset`, detail.timeToBlockExpire);
    throw new GatewayException(
      GatewayErrorCode.RateLimited,
      `At most ${detail.limit} requests per ${Math.round(detail.ttl / 1000)} s per client; retry after ${detail.timeToBlockExpire} s`,
    );
  }
}

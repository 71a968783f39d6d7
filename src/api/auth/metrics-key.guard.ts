import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { GatewayErrorCode, GatewayException } from '../../domain/gateway-error.js';
import { ApiKeyVerifier, presentedKey } from './api-key.verifier.js';

/** With METRICS_API_KEY set, /metrics needs that key; otherwise it stays open like the probes. */
@Injectable()
export class MetricsKeyGuard implements CanActivate {
  private readonly verifier: ApiKeyVerifier;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.verifier = new ApiKeyVerifier(config.metricsApiKey === undefined ? [] : [config.metricsApiKey]);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.verifier.enabled) return true;
    const key = presentedKey(context.switchToHttp().getRequest<FastifyRequest>().headers);
    if (key === undefined || !this.verifier.matches(key)) {
      throw new GatewayException(GatewayErrorCode.Unauthorized, 'Metrics need the METRICS_API_KEY as "Authorization: Bearer <key>" or "X-API-Key"');
    }
    return true;
  }
}

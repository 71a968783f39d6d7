import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { GatewayErrorCode, GatewayException } from '../../domain/gateway-error.js';
import { ApiKeyVerifier, presentedKey } from './api-key.verifier.js';
import { PUBLIC_ROUTE } from './public-route.decorator.js';

/** With API_KEYS set, every route not marked @PublicRoute needs one of the keys. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly verifier: ApiKeyVerifier;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.verifier = new ApiKeyVerifier(config.apiKeys);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.verifier.enabled) return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const key = presentedKey(context.switchToHttp().getRequest<FastifyRequest>().headers);
    if (key === undefined) {
      throw new GatewayException(GatewayErrorCode.Unauthorized, 'Send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    }
    if (!this.verifier.matches(key)) throw new GatewayException(GatewayErrorCode.Unauthorized, 'The API key is not valid');
    return true;
  }
}

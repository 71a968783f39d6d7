import { Inject, Injectable, Logger } from '@nestjs/common';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, type CircuitBreakerPolicy, circuitBreaker, handleWhen } from 'cockatiel';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UpstreamError } from './upstream-error.js';

export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
export type CircuitStateName = (typeof CIRCUIT_STATES)[number];

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * One circuit breaker per provider (cockatiel): opens after N consecutive
 * failed calls, fails fast while open, lets exactly one probe through when
 * half-open. 429s and our own deadline do not count as failures.
 */
@Injectable()
export class CircuitBreakers {
  private readonly logger = new Logger(CircuitBreakers.name);
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async execute<T>(provider: string, label: string, call: () => Promise<T>): Promise<T> {
    try {
      return await this.breakerFor(provider).execute(call);
    } catch (error: unknown) {
      if (error instanceof BrokenCircuitError) {
        const { openSeconds } = this.config.circuit;
        throw new UpstreamError(provider, 'CIRCUIT_OPEN', `${label} failed repeatedly; calls are paused for up to ${openSeconds} s before one probe`, { kind: 'circuit' });
      }
      throw error;
    }
  }

  state(provider: string): CircuitStateName {
    const breaker = this.breakers.get(provider);
    return breaker === undefined ? 'closed' : STATE_NAMES[breaker.state];
  }

  private breakerFor(provider: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(provider);
    if (breaker === undefined) {
      const { failureThreshold, openSeconds } = this.config.circuit;
      breaker = circuitBreaker(
        handleWhen((error) => error instanceof UpstreamError && error.countsAgainstBreaker),
        { halfOpenAfter: openSeconds * 1000, breaker: new ConsecutiveBreaker(failureThreshold) },
      );
      breaker.onStateChange((state) => this.logger.warn(`${provider}: circuit ${STATE_NAMES[state]}`));
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, type CircuitBreakerPolicy, circuitBreaker, handleWhen } from 'cockatiel';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { UpstreamError } from '../../domain/upstream-error.js';

export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
export type CircuitStateName = (typeof CIRCUIT_STATES)[number];

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

interface Breaker {
  readonly policy: CircuitBreakerPolicy;
  /** When the circuit last opened (epoch ms). */
  openedAt: number;
}

/**
 * One circuit breaker per provider (cockatiel), counting attempts: it opens
 * after N consecutive failed attempts (timeouts included), fails fast while
 * open, and lets exactly one probe through once CIRCUIT_OPEN_SECONDS have
 * passed. 429s and the walk's own cancellation do not count.
 */
@Injectable()
export class CircuitBreakers {
  private readonly logger = new Logger(CircuitBreakers.name);
  private readonly breakers = new Map<string, Breaker>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async execute<T>(provider: string, label: string, attempt: () => Promise<T>): Promise<T> {
    try {
      return await this.breakerFor(provider).policy.execute(attempt);
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
    return breaker === undefined ? 'closed' : STATE_NAMES[breaker.policy.state];
  }

  /** Whether calls go through normally: closed. */
  isClosed(provider: string): boolean {
    return this.state(provider) === 'closed';
  }

  /** Open long enough that the next call would be the one half-open probe. */
  probeDue(provider: string, now = Date.now()): boolean {
    const breaker = this.breakers.get(provider);
    return breaker !== undefined && breaker.policy.state === CircuitState.Open && now - breaker.openedAt >= this.config.circuit.openSeconds * 1000;
  }

  private breakerFor(provider: string): Breaker {
    let breaker = this.breakers.get(provider);
    if (breaker === undefined) {
      const { failureThreshold, openSeconds } = this.config.circuit;
      const policy = circuitBreaker(
        handleWhen((error) => error instanceof UpstreamError && error.countsAgainstBreaker),
        { halfOpenAfter: openSeconds * 1000, breaker: new ConsecutiveBreaker(failureThreshold) },
      );
      const created: Breaker = { policy, openedAt: 0 };
      policy.onStateChange((state) => {
        if (state === CircuitState.Open) created.openedAt = Date.now();
        this.logger.warn(`${provider}: circuit ${STATE_NAMES[state]}`);
      });
      breaker = created;
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }
}

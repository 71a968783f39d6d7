import { Injectable } from '@nestjs/common';
import { RedisConnections } from '../../redis/redis-connections.js';
import { MemoryRequestBudget, RedisRequestBudget, type RequestBudget } from './request-budget.js';

/** Each provider's request budget: in Redis when REDIS_URL is set (one budget for all replicas), else in this process. */
@Injectable()
export class RequestBudgets {
  private readonly budgets = new Map<string, RequestBudget>();

  constructor(private readonly redis: RedisConnections) {}

  for(provider: string, requestsPerMinute: number): RequestBudget {
    let budget = this.budgets.get(provider);
    if (budget === undefined) {
      const prefix = `${this.redis.keyPrefix}budget:${provider}`;
      budget = this.redis.enabled
        ? new RedisRequestBudget(this.redis.client('budgets'), `${prefix}:log`, `${prefix}:pause`, requestsPerMinute)
        : new MemoryRequestBudget(requestsPerMinute);
      this.budgets.set(provider, budget);
    }
    return budget;
  }
}

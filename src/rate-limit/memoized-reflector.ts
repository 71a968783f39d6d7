import { Reflector } from '@nestjs/core';

type Target = object;

/**
 * A Reflector for lookups whose answers cannot change after start-up:
 * decorator metadata on a controller and its handlers. The throttler guard
 * reads six keys for each request (twelve reflect-metadata walks); remembering
 * them per handler measured as about a tenth of a cached listing's throughput.
 * Only `getAllAndOverride` with a string key and two targets is remembered.
 */
export class MemoizedReflector extends Reflector {
  private readonly remembered = new WeakMap<Target, WeakMap<Target, Map<string, unknown>>>();

  override getAllAndOverride<TResult = unknown, TKey = unknown>(metadataKey: TKey, targets: (Target | Function)[]): TResult {
    if (typeof metadataKey !== 'string' || targets.length !== 2) return super.getAllAndOverride(metadataKey, targets as Function[]) as TResult;
    const [handler, classRef] = targets;
    let byClass = this.remembered.get(handler);
    if (byClass === undefined) this.remembered.set(handler, (byClass = new WeakMap()));
    let byKey = byClass.get(classRef);
    if (byKey === undefined) byClass.set(classRef, (byKey = new Map()));
    if (!byKey.has(metadataKey)) byKey.set(metadataKey, super.getAllAndOverride(metadataKey, targets as Function[]));
    return byKey.get(metadataKey) as TResult;
  }
}

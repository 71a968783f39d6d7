import type { LoggerService } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import { type DestinationStream, type Logger, pino } from 'pino';
import { createSecretScrubber } from './secret-scrubber.js';

let lastMs = 0;
let lastTime = '';

/** pino's isoTime, formatted once per millisecond: a busy gateway writes several lines in each. */
function isoTime(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

/** The id of the request being served, when a line is written on its behalf. */
function requestContext(): { requestId?: string } {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? { requestId: cls.getId() } : {};
}

/**
 * One JSON line per event. Every finished line passes through the secret
 * scrubber on its way out (one pass per line, cheaper than walking each logged
 * object), so no field, message or stack can carry a credential. Lines written
 * while a request is served carry its id.
 */
export function createJsonLogger(secrets: readonly string[], destination: DestinationStream = pino.destination({ dest: 1, sync: true }), level = 'info'): Logger {
  const scrub = createSecretScrubber(secrets);
  const scrubbed: DestinationStream = { write: (line: string) => destination.write(scrub(line)) };
  return pino(
    {
      level,
      base: { service: 'suborg-gateway' },
      timestamp: isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: requestContext,
    },
    scrubbed,
  );
}

/** Nest's Logger on top of pino: `context` becomes a field, object messages become fields. */
export class JsonNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    const stack = context === undefined ? undefined : stackOrContext;
    this.write('error', message, context ?? stackOrContext, stack === undefined ? {} : { stack });
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal' | 'error', message: unknown, context: string | undefined, extra: object = {}): void {
    const fields = { ...(context === undefined ? {} : { context }), ...extra };
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message instanceof Error ? message.message : message));
  }
}

import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';

export type EnvSource = Readonly<Record<string, string | undefined>>;

interface IntOptions {
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Reads and validates one environment variable at a time; the first bad value
 * throws a ConfigError naming the variable. Empty strings count as unset so a
 * blank line in a compose file behaves like an absent one.
 */
export class EnvReader {
  constructor(private readonly env: EnvSource) {}

  optionalString(name: string, maxLength = 4096): string | undefined {
    const raw = this.env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = raw.trim();
    if (value.length > maxLength) throw new ConfigError(name, `must be at most ${maxLength} characters`);
    return value;
  }

  string(name: string, fallback: string, pattern?: RegExp): string {
    const value = this.optionalString(name) ?? fallback;
    if (pattern && !pattern.test(value)) throw new ConfigError(name, `must match ${pattern.source}`);
    return value;
  }

  int(name: string, options: IntOptions): number {
    const raw = this.optionalString(name);
    if (raw === undefined) return options.default;
    if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw.slice(0, 40)}"`);
    const value = Number(raw);
    if (value < options.min || value > options.max) {
      throw new ConfigError(name, `must be between ${options.min} and ${options.max}, got ${value}`);
    }
    return value;
  }

  /** A listen address: an IPv4 or IPv6 address (`::` listens on both), or a hostname. */
  host(name: string, fallback: string): string {
    const value = this.optionalString(name) ?? fallback;
    if (isIP(value) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(value)) {
      throw new ConfigError(name, `must be an IP address (0.0.0.0, ::) or a hostname, got "${value.slice(0, 60)}"`);
    }
    return value;
  }

  list(name: string): string[] {
    const raw = this.optionalString(name, 65536);
    if (raw === undefined) return [];
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }

  /**
   * An upstream base URL: https only, except loopback hosts and the hosts an
   * operator lists in UPSTREAM_PLAIN_HTTP_HOSTS (the simulators in compose).
   * Credentials in the URL are refused so they can never reach a log line.
   */
  upstreamUrl(name: string, fallback: string): string {
    const raw = this.optionalString(name) ?? fallback;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(name, 'must be an absolute URL');
    }
    if (url.username || url.password) throw new ConfigError(name, 'must not contain credentials');
    if (url.search || url.hash) throw new ConfigError(name, 'must not contain a query or fragment');
    const plainHttpAllowed = isLoopback(url.hostname) || this.list('UPSTREAM_PLAIN_HTTP_HOSTS').includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainHttpAllowed)) {
      throw new ConfigError(name, 'must use https (plain http only for loopback or UPSTREAM_PLAIN_HTTP_HOSTS)');
    }
    return url.toString().replace(/\/+$/, '');
  }

  /** A browser origin for CORS: scheme, host and optional port, nothing else. */
  origins(name: string): string[] {
    return this.list(name).map((origin) => {
      if (origin === '*') throw new ConfigError(name, 'must list explicit origins; "*" is not allowed');
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        throw new ConfigError(name, `has an invalid origin "${origin.slice(0, 80)}"`);
      }
      if (url.origin !== origin.replace(/\/$/, '')) {
        throw new ConfigError(name, `entries must be bare origins like https://app.example.com, got "${origin.slice(0, 80)}"`);
      }
      return url.origin;
    });
  }

  /**
   * Which proxies may set X-Forwarded-For, in Fastify's trustProxy terms:
   * `false` (default: the socket peer is the client), `true` (every hop is
   * trusted), a hop count, or a list of proxy addresses / CIDR ranges.
   */
  trustProxy(name: string): boolean | number | string[] {
    const raw = this.optionalString(name);
    if (raw === undefined || raw === 'false') return false;
    if (raw === 'true') return true;
    if (/^\d+$/.test(raw)) return this.int(name, { default: 0, min: 0, max: 32 });
    return this.list(name).map((entry) => {
      const [address, prefix, ...rest] = entry.split('/');
      const family = isIP(address);
      const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
      if (family === 0 || !prefixOk || rest.length > 0) {
        throw new ConfigError(name, `must be true, false, a hop count or proxy addresses/CIDRs, got "${entry.slice(0, 60)}"`);
      }
      return entry;
    });
  }

  /** A secret a caller presents in a header: long enough not to be guessed, no whitespace. */
  secret(name: string, value: string): string {
    if (!/^[\x21-\x7e]{16,256}$/.test(value)) {
      throw new ConfigError(name, 'entries must be 16 to 256 visible ASCII characters without spaces');
    }
    return value;
  }
}

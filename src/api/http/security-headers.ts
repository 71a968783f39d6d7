/**
 * Response security headers, computed once. @fastify/helmet rebuilds the CSP
 * string on every request, which measured as a third of the CPU of a cached
 * listing; these never change, so frozen objects serve them all.
 */

const ALWAYS = {
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
} as const;

/** JSON endpoints (OWASP REST Security Cheat Sheet): nothing may load from or frame a JSON answer. */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...ALWAYS,
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
});

/**
 * The Swagger UI pages get helmet's full default set: they are HTML. Swagger
 * UI loads its scripts from this origin but styles itself inline.
 */
export const DOCS_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...ALWAYS,
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; '),
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

export function securityHeadersFor(url: string): Readonly<Record<string, string>> {
  return url.startsWith('/docs') ? DOCS_SECURITY_HEADERS : API_SECURITY_HEADERS;
}

/** Every /v1 answer varies by these: who asks, from where, and in which encoding (compressed or not). */
export const API_VARY = 'Authorization, X-API-Key, Origin, Accept-Encoding';

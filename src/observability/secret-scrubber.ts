import { isCredentialName, mayContainCredentialName } from '../domain/credential-names.js';

const REDACTED = '[REDACTED]';
const BEARER = /\b(bearer)(\s+|%20|\+)[^\s"',;&]+/gi;
/** `name=value` inside a URL or a form-encoded text. */
const PARAMETER = /([?&;])([^=&#\s"'?]{1,128})=([^&#\s"']*)/g;
/** `"name":"value"` inside a JSON line. */
const JSON_FIELD = /"([^"\\]{1,128})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw;
  }
}

/** Matches `secret` written plainly or with any of its characters percent-encoded, in either hex case. */
function percentEncodedPattern(secret: string): RegExp {
  const hexDigit = (digit: string): string => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit);
  const encodedByte = (byte: number): string => `%${[...byte.toString(16).padStart(2, '0')].map(hexDigit).join('')}`;
  const parts = [...secret].map((char) => {
    const literal = char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const encoded = [...Buffer.from(char, 'utf8')].map(encodedByte).join('');
    return `(?:${literal}|${encoded})`;
  });
  return new RegExp(parts.join(''), 'g');
}

/**
 * Removes credentials from text bound for a log line: every configured secret
 * (as it is, JSON-escaped or percent-encoded in any spelling), anything after
 * "Bearer", and the value of every URL parameter or JSON field whose name is
 * a credential by the one rule in domain/credential-names (so `?api%5Fkey=`,
 * `?X-Api-Key=`, `?client_secret=`, `?sig=` all count). Messages are written not
 * to contain secrets; this is the net under them.
 */
export function createSecretScrubber(secrets: readonly string[]): (text: string) => string {
  const known = [...new Set(secrets.filter((secret) => secret.length >= 4))].sort((a, b) => b.length - a.length);
  const escaped = known.map((secret) => JSON.stringify(secret).slice(1, -1)).filter((variant, i) => variant !== known[i]);
  const encoded = known.map(percentEncodedPattern);
  return (text) => {
    let scrubbed = text;
    for (const secret of [...known, ...escaped]) if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(REDACTED);
    const encodedText = scrubbed.includes('%');
    if (encodedText) for (const pattern of encoded) scrubbed = scrubbed.replace(pattern, REDACTED);
    scrubbed = scrubbed.replace(BEARER, `$1$2${REDACTED}`);
    // Most lines hold no credential-like name at all; only those that may are looked at field by field.
    if (!encodedText && !mayContainCredentialName(scrubbed)) return scrubbed;
    return scrubbed
      .replace(PARAMETER, (whole, separator: string, name: string) => (isCredentialName(decodedName(name)) ? `${separator}${name}=${REDACTED}` : whole))
      .replace(JSON_FIELD, (whole, name: string, colon: string) => (isCredentialName(name) ? `"${name}"${colon}"${REDACTED}"` : whole));
  };
}

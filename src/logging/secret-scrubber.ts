const BEARER = /\b(bearer)\s+[^\s"',;]+/gi;
const SECRET_QUERY = /([?&](?:api[_-]?key|apikey|key|token|access[_-]?token|secret|password|auth)=)[^&\s"']*/gi;

/**
 * Removes credentials from text bound for a log line: every configured secret
 * value, anything after "Bearer", and secret-looking query parameters.
 * Messages are written not to contain secrets; this is the net under them.
 */
export function createSecretScrubber(secrets: readonly string[]): (text: string) => string {
  const known = [...new Set(secrets.filter((secret) => secret.length >= 4))].sort((a, b) => b.length - a.length);
  return (text) => {
    let scrubbed = text;
    for (const secret of known) if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join('[REDACTED]');
    return scrubbed.replace(BEARER, '$1 [REDACTED]').replace(SECRET_QUERY, '$1[REDACTED]');
  };
}

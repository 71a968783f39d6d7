/**
 * The one rule for what counts as a credential by its name, used to strip
 * upstream originals and to scrub logged URLs. A name counts when, lower-cased
 * with `_`, `-`, `.` and spaces removed, it is one of NAMES or ends with one of
 * SUFFIXES: `license_key`, `client_secret`, `X-Api-Key`, `access_token`,
 * `Authorization`, `sig`, `password` all do; `token_count` does not.
 */
const NAMES = new Set(['authorization', 'auth', 'key', 'sig', 'signature', 'pwd', 'cookie', 'setcookie', 'session', 'sessionid']);
const SUFFIXES = ['token', 'secret', 'password', 'passwd', 'passphrase', 'apikey', 'licensekey', 'privatekey', 'accesskey', 'secretkey', 'clientkey', 'credential', 'credentials'];

/**
 * Whether `text` might hold a credential name at all: every name the rule
 * accepts, normalised, contains one of these. Lets a scrubber skip text that
 * cannot hold one without looking at each field.
 */
const CREDENTIAL_WORDS = /auth|key|sig|pwd|cookie|session|token|secret|pass|credential/;

export function mayContainCredentialName(text: string): boolean {
  return CREDENTIAL_WORDS.test(text.toLowerCase().replace(/[\s_.-]/g, ''));
}

const verdicts = new Map<string, boolean>();
const MAX_REMEMBERED = 4096;

export function isCredentialName(name: string): boolean {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    const normalized = name.toLowerCase().replace(/[\s_.-]/g, '');
    verdict = NAMES.has(normalized) || SUFFIXES.some((suffix) => normalized.endsWith(suffix));
    // Upstream records repeat a few dozen field names; remembering them keeps the rule cheap per record.
    if (verdicts.size >= MAX_REMEMBERED) verdicts.clear();
    verdicts.set(name, verdict);
  }
  return verdict;
}

/** A value nests objects and arrays deeper than its reader allows. */
export class TooDeeplyNestedError extends Error {}

/**
 * Clears every field whose name is a credential, at any depth up to
 * `maxDepth` levels of objects and arrays, in place: the field is set to
 * undefined, which JSON.stringify leaves out. (Deleting it would turn each
 * record into a slow dictionary-mode object: at 100k records that cost a
 * second of CPU.) Returns how many fields it cleared, and adds their names to
 * `names` when given. Throws TooDeeplyNestedError for a value nested deeper
 * (a cleared field's value is not looked into): such a value overflows the
 * stack when serialised, from about 5,000 levels.
 */
export function removeCredentials(value: unknown, maxDepth: number, names?: Set<string>): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (maxDepth === 0) throw new TooDeeplyNestedError('nested too deeply');
  let removed = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (typeof value[i] === 'object') removed += removeCredentials(value[i], maxDepth - 1, names);
    return removed;
  }
  const record = value as Record<string, unknown>;
  // for...in rather than Object.keys: no array per object, and upstream records are plain JSON objects.
  for (const name in record) {
    if (isCredentialName(name)) {
      if (record[name] !== undefined) {
        removed++;
        names?.add(name);
      }
      record[name] = undefined;
    } else if (typeof record[name] === 'object') {
      removed += removeCredentials(record[name], maxDepth - 1, names);
    }
  }
  return removed;
}

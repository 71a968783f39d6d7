const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
/** Deeper text is left to the re-serialising fallback: the reader recurses, and the walker has nulled records this deep anyway. */
const MAX_DEPTH = 128;

/** The text is not what JSON.parse accepted. */
class Unsupported extends Error {}

/**
 * Cuts object members out of JSON text as bytes. Structural characters are
 * ASCII and never part of a multi-byte UTF-8 sequence, so the text needs no
 * decoding; a member name is compared as the UTF-8 bytes of a name we look
 * for, or decoded first when it is written with escapes.
 */
class MemberCutter {
  /** Pairs of [from, to) byte ranges to leave out, in order, not overlapping. */
  readonly cuts: number[] = [];
  removed = 0;
  /** Whether the string last read by string() held an escape. */
  private escaped = false;

  private readonly nameBytes: readonly Buffer[];

  constructor(
    private readonly bytes: Buffer,
    private readonly names: ReadonlySet<string>,
  ) {
    this.nameBytes = [...names].map((name) => Buffer.from(name, 'utf8'));
  }

  value(at: number, depth = 0): number {
    const byte = this.bytes[at];
    if (depth > MAX_DEPTH && (byte === OPEN_OBJECT || byte === OPEN_ARRAY)) throw new Unsupported('nested too deeply');
    if (byte === OPEN_OBJECT) return this.object(at, depth);
    if (byte === OPEN_ARRAY) return this.array(at, depth);
    if (byte === QUOTE) return this.string(at);
    return this.scalar(at);
  }

  /** Skips a value without looking for members in it (a removed member's value). */
  skip(at: number): number {
    const { bytes } = this;
    const first = bytes[at];
    if (first === QUOTE) return this.string(at);
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) return this.scalar(at);
    let depth = 0;
    let i = at;
    for (;;) {
      const byte = bytes[i];
      if (byte === QUOTE) {
        i = this.string(i);
        continue;
      }
      if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) return i + 1;
      } else if (byte === undefined) throw new Unsupported('unterminated value');
      i++;
    }
  }

  private object(at: number, depth: number): number {
    const { bytes } = this;
    let i = this.space(at + 1);
    if (bytes[i] === CLOSE_OBJECT) return i + 1;
    // Where the last kept member's value ends: a removed last member takes the comma before it from there.
    let keptEnd = -1;
    for (;;) {
      const keyStart = i;
      const keyEnd = this.string(i);
      const remove = this.escaped ? this.names.has(JSON.parse(bytes.toString('utf8', keyStart, keyEnd)) as string) : this.isWanted(keyStart + 1, keyEnd - 1);
      i = this.space(keyEnd);
      if (bytes[i] !== COLON) throw new Unsupported('no colon');
      i = this.space(i + 1);
      const valueEnd = remove ? this.skip(i) : this.value(i, depth + 1);
      i = this.space(valueEnd);
      const next = bytes[i];
      if (remove) {
        this.removed++;
        if (next === COMMA) this.cut(keyStart, this.space(i + 1));
        else this.cut(keptEnd === -1 ? keyStart : keptEnd, valueEnd);
      } else {
        keptEnd = valueEnd;
      }
      if (next === CLOSE_OBJECT) return i + 1;
      if (next !== COMMA) throw new Unsupported('no comma between members');
      i = this.space(i + 1);
    }
  }

  private array(at: number, depth: number): number {
    const { bytes } = this;
    let i = this.space(at + 1);
    if (bytes[i] === CLOSE_ARRAY) return i + 1;
    for (;;) {
      i = this.space(this.value(i, depth + 1));
      if (bytes[i] === CLOSE_ARRAY) return i + 1;
      if (bytes[i] !== COMMA) throw new Unsupported('no comma between items');
      i = this.space(i + 1);
    }
  }

  /** Where the string at `at` ends (after its closing quote). */
  private string(at: number): number {
    const { bytes } = this;
    if (bytes[at] !== QUOTE) throw new Unsupported('no string');
    this.escaped = false;
    let i = at + 1;
    for (;;) {
      const byte = bytes[i];
      if (byte === QUOTE) return i + 1;
      if (byte === BACKSLASH) {
        this.escaped = true;
        i += 2;
      } else if (byte === undefined) {
        throw new Unsupported('unterminated string');
      } else {
        i++;
      }
    }
  }

  private scalar(at: number): number {
    const { bytes } = this;
    let i = at;
    for (;;) {
      const byte = bytes[i];
      if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || byte === undefined || isSpace(byte)) break;
      i++;
    }
    if (i === at) throw new Unsupported('empty value');
    return i;
  }

  space(at: number): number {
    let i = at;
    while (isSpace(this.bytes[i])) i++;
    return i;
  }

  /**
   * [start, end) of a top-level member's value, its members cut as any
   * value's; undefined when the text is not an object that has it. The
   * envelope is small beside its records: other members are skipped whole.
   */
  member(name: string): [number, number] | undefined {
    const { bytes } = this;
    const wanted = Buffer.from(name, 'utf8');
    let i = this.space(0);
    if (bytes[i] !== OPEN_OBJECT) return undefined;
    i = this.space(i + 1);
    for (;;) {
      if (bytes[i] !== QUOTE) return undefined;
      const keyEnd = this.string(i);
      const isWanted = bytes.subarray(i + 1, keyEnd - 1).equals(wanted);
      i = this.space(keyEnd);
      if (bytes[i] !== COLON) return undefined;
      i = this.space(i + 1);
      if (isWanted) return [i, this.value(i)];
      i = this.space(this.skip(i));
      if (bytes[i] !== COMMA) return undefined;
      i = this.space(i + 1);
    }
  }

  private isWanted(from: number, to: number): boolean {
    const { bytes } = this;
    for (const name of this.nameBytes) {
      if (name.length !== to - from) continue;
      let i = 0;
      while (i < name.length && name[i] === bytes[from + i]) i++;
      if (i === name.length) return true;
    }
    return false;
  }

  /** Adds a range to leave out, merged with earlier ones it reaches back over (a last member taking the comma before it). */
  private cut(from: number, to: number): void {
    const { cuts } = this;
    let start = from;
    while (cuts.length > 0 && cuts[cuts.length - 1] >= start) {
      cuts.pop();
      start = Math.min(start, cuts.pop()!);
    }
    cuts.push(start, to);
  }
}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * The JSON of `body` — or of its top-level `member` — with every member
 * named in `names` cut out at any depth, without parsing and re-serialising.
 * `expected` is how many members the object pass removed; when the bytes
 * disagree (duplicate names, which JSON.parse collapses into one; text this
 * reader does not follow) the answer is undefined.
 */
export function credentialFreeJson(body: Buffer, member: string | undefined, names: ReadonlySet<string>, expected: number): Buffer | undefined {
  try {
    const cutter = new MemberCutter(body, names);
    let start: number;
    let end: number;
    if (member === undefined) {
      start = cutter.space(0);
      end = cutter.value(start);
    } else {
      const range = cutter.member(member);
      if (range === undefined) return undefined;
      [start, end] = range;
    }
    if (cutter.removed !== expected) return undefined;
    const { cuts } = cutter;
    if (cuts.length === 0) return body.subarray(start, end);
    const parts: Buffer[] = [];
    let from = start;
    for (let c = 0; c < cuts.length; c += 2) {
      parts.push(body.subarray(from, cuts[c]));
      from = cuts[c + 1];
    }
    parts.push(body.subarray(from, end));
    return Buffer.concat(parts);
  } catch (error: unknown) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/**
 * A page's records as JSON without credentials, cut from the page's own
 * bytes when the records are the page itself or one member of it (bv's
 * `organizations`): re-serialising the cleared records cost more than
 * parsing the page (docs/decisions.md) and stays the fallback for whatever
 * the byte reader declines. `names` and `credentials` are what
 * removeCredentials found and cleared in `records`.
 */
export function credentialFreeRecordsJson(body: Buffer, parsed: unknown, records: readonly unknown[], names: ReadonlySet<string>, credentials: number): Buffer {
  if (parsed === records && credentials === 0) return body;
  const member = parsed === records ? undefined : envelopeMember(parsed, records);
  const cut = member === null ? undefined : credentialFreeJson(body, member, names, credentials);
  return cut ?? Buffer.from(JSON.stringify(records), 'utf8');
}

/** The name of the page's member that holds the records; null when they are not one. */
function envelopeMember(parsed: unknown, records: readonly unknown[]): string | null {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  for (const name of Object.keys(parsed)) if ((parsed as Record<string, unknown>)[name] === records) return name;
  return null;
}

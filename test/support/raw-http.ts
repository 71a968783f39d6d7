import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly ms: number;
}

/** Parses what a server wrote on a socket (one response; the connection closed after it). */
function parse(raw: string, ms: number): RawResponse {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine?.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), ms };
}

/**
 * Writes `text` byte for byte on a fresh connection to `port` and reads until
 * the server closes it (send `Connection: close`). HTTP clients refuse to send
 * most malformed requests, so the tests that need them write their own.
 * Rejects when nothing closes the connection within `timeoutMs`.
 */
export function rawRequest(port: number, text: string | Buffer, { timeoutMs = 5000, dribble }: { timeoutMs?: number; dribble?: () => string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const trickle = dribble === undefined ? undefined : setInterval(() => socket.writable && socket.write(dribble()), 500);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      clearInterval(trickle);
      resolve(parse(Buffer.concat(chunks).toString('latin1'), performance.now() - started));
    });
    socket.write(text);
  });
}

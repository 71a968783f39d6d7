/**
 * Whether the bytes fill an ArrayBuffer of their own. A view into a larger
 * allocation (a socket read, Buffer's shared pool) keeps all of it alive and
 * cannot be transferred to another thread without detaching its neighbours.
 */
export function ownsItsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}

/** The bytes in an ArrayBuffer of their own: as they are when they already are, else a copy. */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return ownsItsBuffer(bytes) ? bytes : new Uint8Array(bytes);
}

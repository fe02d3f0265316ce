/**
 * A compact Map key for short byte strings (addresses, hashes): one UTF-16 unit per byte. About three
 * times faster than hex on the execution hot path; never shown to anyone.
 */
export function bytesKey(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

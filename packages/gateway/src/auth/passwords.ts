import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const keyLength = 32;
const blockSize = 8;
const parallelism = 1;

function deriveKey(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      keyLength,
      { N: n, r: blockSize, p: parallelism, maxmem: 256 * n * blockSize },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

/** A password hash `scrypt$N$r$p$salt$key` (base64url), safe to store. */
export async function hashPassword(password: string, n: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await deriveKey(password, salt, n);
  return `scrypt$${n}$${blockSize}$${parallelism}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` matches `stored`; compares in constant time, false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, nText, rText, pText, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || rText !== String(blockSize) || pText !== String(parallelism)) return false;
  const n = Number(nText);
  if (!Number.isSafeInteger(n) || n < 2 || saltText === undefined || keyText === undefined) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const actual = await deriveKey(password, Buffer.from(saltText, 'base64url'), n);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

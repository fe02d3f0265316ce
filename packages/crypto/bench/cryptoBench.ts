/**
 * Micro benchmark of the hot crypto paths on one core, native backend (Node):
 *
 *   npx node packages/crypto/bench/cryptoBench.ts [seconds-per-measure]
 *
 * Prints `{"verifyPerSec":…,"signPerSec":…,"sha256PerSec":…}`. sha256 hashes 128-byte messages
 * (about a signed transfer); sign and verify work on 32-byte hashes with 64 distinct keys.
 */
import {
  generatePrivateKey,
  publicKeyFromPrivateKey,
  randomBytes,
  secp256k1Backend,
  sha256,
  signHash,
  verifyHash,
} from '@shardpay/crypto';

const secondsPerMeasure = Number(process.argv[2] ?? 1.5);
if (!(secondsPerMeasure > 0)) throw new Error('seconds-per-measure must be a positive number');
if (secp256k1Backend() !== 'native')
  throw new Error(`expected the native backend, got ${secp256k1Backend()}`);

/** Calls `operation(i)` in batches until the time is up; operations per second. */
function measure(operation: (i: number) => unknown): number {
  for (let i = 0; i < 1000; i++) operation(i); // warm up the JIT
  const batch = 256;
  let count = 0;
  const started = performance.now();
  const deadline = started + secondsPerMeasure * 1000;
  let now = started;
  while (now < deadline) {
    for (let i = 0; i < batch; i++) operation(count + i);
    count += batch;
    now = performance.now();
  }
  return Math.round(count / ((now - started) / 1000));
}

const keyCount = 64;
const privateKeys = Array.from({ length: keyCount }, () => generatePrivateKey());
const publicKeys = privateKeys.map((privateKey) => publicKeyFromPrivateKey(privateKey));
const hashes = Array.from({ length: keyCount }, () => randomBytes(32));
const signatures = hashes.map((hash, i) => signHash(hash, privateKeys[i]!));
const messages = Array.from({ length: keyCount }, () => randomBytes(128));

let failures = 0;
const verifyPerSec = measure((i) => {
  const k = i % keyCount;
  if (!verifyHash(signatures[k]!, hashes[k]!, publicKeys[k]!)) failures++;
});
const signPerSec = measure((i) => signHash(hashes[i % keyCount]!, privateKeys[i % keyCount]!));
const sha256PerSec = measure((i) => sha256(messages[i % keyCount]!));
if (failures > 0) throw new Error(`${failures} valid signatures failed to verify`);

console.log(JSON.stringify({ verifyPerSec, signPerSec, sha256PerSec }));

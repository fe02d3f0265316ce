import { publicKeyFromPrivateKey, secp256k1Backend, sha256, signHash, verifyHash } from '@shardpay/crypto';

/** Native signature checks per second on one core, by this thread's CPU time and by the wall clock. */
export interface MeasureVerifyRateResult {
  /** Checks per CPU-second of this thread: what one core does, fairly steady on a shared machine. */
  perCpuSecond: number;
  /** Checks per wall-clock second: lower when other processes take the core. */
  perWallSecond: number;
  backend: string;
}

/**
 * Measures secp256k1 verification with @shardpay/crypto's `verifyHash` (64 keys, distinct hashes)
 * for about `durationMs` on this thread. Every validator checks every transfer's signature once, so
 * this rate × cores ÷ validators on the machine bounds the tx/s the machine can finalize.
 */
export function measureVerifyRate(durationMs: number): MeasureVerifyRateResult {
  const encoder = new TextEncoder();
  const cases = Array.from({ length: 64 }, (_, i) => {
    const privateKey = sha256(encoder.encode(`shardpay-verify-rate/key/${i}`));
    const hash = sha256(encoder.encode(`shardpay-verify-rate/message/${i}`));
    return { publicKey: publicKeyFromPrivateKey(privateKey), hash, signature: signHash(hash, privateKey) };
  });
  const check = (i: number) => {
    const c = cases[i % cases.length]!;
    if (!verifyHash(c.signature, c.hash, c.publicKey)) throw new Error('a valid signature failed to verify');
  };
  for (let i = 0; i < 500; i++) check(i); // warm up
  const cpuStart = process.threadCpuUsage();
  const wallStart = performance.now();
  let count = 0;
  while (performance.now() - wallStart < durationMs) {
    for (let i = 0; i < 128; i++) check(count + i);
    count += 128;
  }
  const wallMs = performance.now() - wallStart;
  const cpu = process.threadCpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    perCpuSecond: Math.round(count / (Math.max(cpuMs, 1) / 1000)),
    perWallSecond: Math.round(count / (wallMs / 1000)),
    backend: secp256k1Backend(),
  };
}

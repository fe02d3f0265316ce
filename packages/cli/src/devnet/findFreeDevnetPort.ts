import { BANK_PORT_OFFSET, devnetPorts, ORACLE_PORT_OFFSET } from './devnetPorts.ts';
import { findTakenPort } from './findTakenPort.ts';

/**
 * A base port P whose derived validator ports are all free right now (for tests and parallel
 * devnets): tries random bases in 20000..59999 until one fits, at most `attempts` times.
 */
export async function findFreeDevnetPort(
  shards: number,
  validatorsPerShard: number,
  attempts = 50,
): Promise<number> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const uses = [
      { port: base, purpose: 'gateway' },
      { port: base + BANK_PORT_OFFSET, purpose: 'bank' },
      { port: base + ORACLE_PORT_OFFSET, purpose: 'oracle' },
      ...devnetPorts(base, shards, validatorsPerShard).flatMap((v) => [
        { port: v.rpcPort, purpose: 'rpc' },
        { port: v.p2pPort, purpose: 'p2p' },
      ]),
    ];
    if ((await findTakenPort(uses)) === undefined) return base;
  }
  throw new Error(`found no free range of devnet ports in ${attempts} attempts`);
}

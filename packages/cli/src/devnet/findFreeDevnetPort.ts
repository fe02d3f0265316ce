import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BANK_PORT_OFFSET,
  devnetPorts,
  MAX_DEVNET_VALIDATORS,
  ORACLE_PORT_OFFSET,
  P2P_PORT_OFFSET,
} from './devnetPorts.ts';
import { findTakenPort } from './findTakenPort.ts';

/** One devnet's whole port range: P (gateway) … P + 110 + 99 (the last possible p2p port). */
const SLOT_WIDTH = P2P_PORT_OFFSET + MAX_DEVNET_VALIDATORS;
/**
 * Bases are taken from 10000 up to just below 32768, where Linux's ephemeral range starts: a port
 * chosen there can be taken, between the check and the bind, by any outgoing connection of this
 * machine (a devnet's own validators dial each other), which once failed a test with EADDRINUSE.
 */
const LOWEST_BASE = 10_000;
const SLOTS = Math.floor((32_768 - LOWEST_BASE) / SLOT_WIDTH);

/**
 * A base port P whose derived ports are all free right now, for tests and parallel devnets. Each
 * call reserves a slot of ports with a file in the temp folder (`shardpay-devnet-ports/<P>`, holding
 * the pid), so two processes starting devnets at the same time never pick the same range; a slot
 * whose owner process is gone is taken over. Tries slots in random order, at most `attempts`.
 */
export async function findFreeDevnetPort(
  shards: number,
  validatorsPerShard: number,
  attempts = 50,
): Promise<number> {
  const folder = join(tmpdir(), 'shardpay-devnet-ports');
  mkdirSync(folder, { recursive: true });
  const first = Math.floor(Math.random() * SLOTS);
  for (let attempt = 0; attempt < Math.min(attempts, SLOTS); attempt++) {
    const base = LOWEST_BASE + ((first + attempt * 37) % SLOTS) * SLOT_WIDTH;
    if (!reserveSlot(join(folder, String(base)))) continue;
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

/** Creates the slot's file for this process; false when a live process holds it. */
function reserveSlot(file: string): boolean {
  for (let round = 0; round < 2; round++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readText(file));
    if (owner === process.pid || isAlive(owner)) return false;
    try {
      unlinkSync(file);
    } catch {
      // Another process took it over first: the next round's 'wx' decides.
    }
  }
  return false;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

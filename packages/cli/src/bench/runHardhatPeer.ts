import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from '@shardpay/node/bench';
import { createPeerWorkload, driveClosedLoop, type PeerResult } from './peerWorkload.ts';

export interface HardhatPeerOptions {
  durationSec: number;
  /** Concurrent clients, one unlocked account each (at most the 20 default accounts). */
  clients: number;
  recipients: number;
}

interface Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** The first line of an error, without the long native-binding stack hardhat prints. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
}

/**
 * What an Ethereum developer would run locally: Hardhat 3's simulated network (EDR) in this process,
 * automine on (one block per transaction, so a call returns when its transfer is final), driven by
 * `clients` concurrent clients that each send plain ETH value transfers from one unlocked account
 * with `eth_sendTransaction` through the EIP-1193 provider (JSON-RPC requests without HTTP). The
 * config is given inline; the project root is a temp folder (a bare package.json), removed afterwards.
 */
export async function runHardhatPeer(options: HardhatPeerOptions): Promise<PeerResult> {
  const root = await mkdtemp(join(tmpdir(), 'shardpay-bench-hardhat-'));
  let close: (() => Promise<void>) | undefined;
  try {
    let provider: Provider;
    try {
      // Hardhat wants its project root to be a package.
      await writeFile(
        join(root, 'package.json'),
        '{"name":"shardpay-bench-hardhat","private":true,"type":"module"}\n',
      );
      const { createHardhatRuntimeEnvironment } = await import('hardhat/hre');
      const hre = await createHardhatRuntimeEnvironment(
        { networks: { bench: { type: 'edr-simulated', chainType: 'l1', mining: { auto: true } } } },
        {},
        root,
      );
      const connection = await hre.network.connect({ network: 'bench' });
      provider = connection.provider as Provider;
      close = () => connection.close();
    } catch (error) {
      const text = firstLine(error);
      const hint = /native binding/i.test(text)
        ? ' (the EDR native package @nomicfoundation/edr-linux-x64-gnu, an optional dependency of hardhat, is not installed: `npm ci` installs it from the lock file)'
        : '';
      return { ran: false, reason: `Hardhat 3 / EDR cannot start here: ${text}${hint}` };
    }
    const accounts = (await provider.request({ method: 'eth_accounts' })) as string[];
    const clients = Math.min(options.clients, accounts.length);
    const recipients = Array.from(
      { length: options.recipients },
      (_, i) => `0x${(0x1000 + i).toString(16).padStart(40, '0')}`,
    );
    const workload = createPeerWorkload(clients, recipients.length, 11);
    const send = (client: number) => {
      const { to, amount } = workload.next();
      return provider.request({
        method: 'eth_sendTransaction',
        params: [{ from: accounts[client], to: recipients[to], value: `0x${amount.toString(16)}` }],
      });
    };
    for (let client = 0; client < clients; client++) await send(client); // warm up
    const run = await driveClosedLoop(clients, options.durationSec, async (client) => {
      await send(client);
    });
    const height = BigInt((await provider.request({ method: 'eth_blockNumber' })) as string);
    return {
      ran: true,
      tps: Math.round(run.tps),
      p50Ms: roundMs(percentile(run.latencies, 0.5)),
      p99Ms: roundMs(percentile(run.latencies, 0.99)),
      transfers: run.transfers,
      clients,
      durationSec: Number(run.wallSec.toFixed(2)),
      driverCpuPct: Math.round(run.cpuPct),
      setup: `Hardhat 3 EDR simulated network in this process, automine (${height} blocks), ${clients} clients with eth_sendTransaction from unlocked accounts, no HTTP`,
    };
  } catch (error) {
    return { ran: false, reason: `Hardhat run failed: ${firstLine(error)}` };
  } finally {
    await close?.().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}

function roundMs(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(1)) : null;
}

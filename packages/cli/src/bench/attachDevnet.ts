import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { addressFromPublicKey, hexToBytes, ShardpayError } from '@shardpay/crypto';
import { type AttachedBenchNetwork, attachBenchNetwork } from '@shardpay/node/bench';
import { networkConfigFromJson } from '@shardpay/protocol';
import { readDevnetManifest } from '../devnet/openDevnet.ts';
import { validatorRpcUrl } from '../devnet/queryDevnetStatus.ts';

/**
 * The process id of the validator started with `configPath` (Linux /proc), so that the bench can
 * read its CPU time; undefined when it cannot be found (CPU figures are then n/a).
 */
function findPid(configPath: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^[0-9]+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(configPath) && args.includes('--config')) return Number(entry);
    } catch {
      // Ended while we looked.
    }
  }
  return undefined;
}

/**
 * The running devnet in `dir` (`shardpay devnet --dir DIR`) as a bench network: its validators'
 * RPC from `devnet.json`, its genesis, and its faucet keys (`keys/faucet-N.json`) to pay the bench's
 * senders. DEVNET_STATE_INVALID when the folder holds no devnet.
 */
export async function attachDevnet(dir: string): Promise<AttachedBenchNetwork> {
  const root = resolve(dir);
  const manifest = await readDevnetManifest(root);
  if (!manifest) {
    throw new ShardpayError('DEVNET_STATE_INVALID', `${root} holds no devnet (no devnet.json)`, {
      meta: { dir: root },
    });
  }
  const network = networkConfigFromJson(JSON.parse(await readFile(join(root, 'genesis.json'), 'utf8')));
  const funders = await Promise.all(
    Array.from({ length: manifest.shards }, async (_, shard) => {
      const key = JSON.parse(await readFile(join(root, 'keys', `faucet-${shard}.json`), 'utf8')) as {
        privateKey: string;
        publicKey: string;
      };
      const publicKey = hexToBytes(key.publicKey);
      return {
        shard,
        privateKey: hexToBytes(key.privateKey),
        publicKey,
        address: addressFromPublicKey(publicKey),
      };
    }),
  );
  return attachBenchNetwork({
    dir: root,
    network,
    funders,
    validators: manifest.validators.map((record) => {
      const rpcUrl = `${validatorRpcUrl(record.rpcPort)}/`;
      const pid = findPid(join(root, record.dir, 'config.json'));
      return {
        shard: record.shard,
        index: record.index,
        rpcUrl,
        wsUrl: rpcUrl.replace(/^http/, 'ws'),
        logPath: join(root, record.log),
        ...(pid === undefined ? {} : { pid }),
      };
    }),
  });
}

/**
 * What the on-chain commerce commands (escrow, multisig, issuer) need: the nodes of every shard, read
 * from a devnet folder (`--dir`, its devnet.json) or given as `--nodes URL0,URL1,…` (one per shard, in
 * shard order). These operations go straight to a node of the right shard, not through the gateway.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeAddress, hexToBytes, isShardpayError, randomBytes, ShardpayError } from '@shardpay/crypto';
import { type NetworkConfig, shardOfAddress, type Transaction } from '@shardpay/protocol';
import {
  createAccountFromPrivateKey,
  createNodeClient,
  DEFAULT_EXPIRY_BLOCKS,
  type NodeClient,
  type WalletAccount,
} from '@shardpay/sdk';
import { DEVNET_DEFAULTS, readDevnetManifest } from '../devnet/openDevnet.ts';
import { loadWallet } from '../home/walletStore.ts';
import type { Output } from '../output.ts';
import { unlockWallet } from './walletAccess.ts';

/** The flags every on-chain commerce command takes. */
export const chainOptions = {
  dir: { type: 'string' },
  nodes: { type: 'string' },
  timeout: { type: 'string' },
} as const;

export const chainUsage = '[--dir DIR | --nodes URL0,URL1,…] [--timeout SEC]';

export interface OpenedChain {
  client: NodeClient;
  network: NetworkConfig;
  /** The devnet folder, when the nodes came from one (its keys/ can pay fees). */
  dir: string | undefined;
}

/** The `--nodes` list: one http(s) URL per shard, in shard order. */
function parseNodesFlag(value: string): string[][] {
  const urls = value.split(',').map((url) => url.trim().replace(/\/+$/, ''));
  if (urls.length === 0 || urls.some((url) => !/^https?:\/\/[^\s/]+/.test(url))) {
    throw new ShardpayError(
      'USAGE',
      '--nodes takes one node RPC URL per shard, in shard order, comma-separated',
      {
        meta: { flag: 'nodes' },
      },
    );
  }
  return urls.map((url) => [url]);
}

/** The node URLs of every shard: from `--nodes`, else the devnet folder `--dir` (default ./.shardpay-devnet). */
async function nodeUrlsOf(
  values: Record<string, string | boolean | undefined>,
): Promise<{ urls: string[][]; dir: string | undefined }> {
  if (typeof values.nodes === 'string') {
    return {
      urls: parseNodesFlag(values.nodes),
      dir: typeof values.dir === 'string' ? values.dir : undefined,
    };
  }
  const dir = typeof values.dir === 'string' ? values.dir : DEVNET_DEFAULTS.dir;
  const manifest = await readDevnetManifest(dir);
  if (!manifest) {
    throw new ShardpayError(
      'DEVNET_NOT_FOUND',
      `no devnet in ${dir} (no devnet.json): pass --dir DIR of a running devnet, or --nodes URL0,URL1,… (one node per shard)`,
      { meta: { type: 'invalid_request_error', dir } },
    );
  }
  const urls: string[][] = Array.from({ length: manifest.shards }, () => []);
  for (const record of manifest.validators) urls[record.shard]?.push(`http://127.0.0.1:${record.rpcPort}`);
  return { urls, dir };
}

/** A node client for the flags' nodes, with the network's genesis (as the nodes serve it). */
export async function openChain(values: Record<string, string | boolean | undefined>): Promise<OpenedChain> {
  const { urls, dir } = await nodeUrlsOf(values);
  const client = createNodeClient({ urls });
  const network = await client.network();
  return { client, network, dir };
}

/** A stored wallet (by name) opened for signing on the chain's network. */
export async function openWallet(chain: OpenedChain, name: string): Promise<WalletAccount> {
  return unlockWallet(await loadWallet(name), chain.network);
}

/** An address flag checked against the network: the text, or ADDRESS_INVALID naming the flag. */
export function addressOnNetwork(network: NetworkConfig, text: string, flag: string): { shard: number } {
  try {
    return { shard: shardOfAddress(network, decodeNetworkAddress(network, text)) };
  } catch (error) {
    if (!isShardpayError(error)) throw error;
    throw new ShardpayError('ADDRESS_INVALID', `--${flag}: ${error.message}`, {
      meta: { type: 'invalid_request_error', flag },
    });
  }
}

function decodeNetworkAddress(network: NetworkConfig, text: string): Uint8Array {
  return decodeAddress(text, network.addressPrefix);
}

/**
 * An account on `shard` to submit a transaction carrying another party's authorization (it pays the
 * fee). A devnet folder's faucet key of that shard when there is one; otherwise, when the network's
 * flat fee is 0, a fresh key ground onto that shard (it needs no balance). Says which it used.
 */
export async function feePayerOn(
  chain: OpenedChain,
  shard: number,
): Promise<{ account: WalletAccount; source: string }> {
  if (chain.dir !== undefined) {
    const path = join(chain.dir, 'keys', `faucet-${shard}.json`);
    try {
      const key = JSON.parse(await readFile(path, 'utf8')) as { privateKey?: unknown };
      if (typeof key.privateKey === 'string') {
        return {
          account: createAccountFromPrivateKey(hexToBytes(key.privateKey), chain.network),
          source: `the devnet faucet key of shard ${shard} (${path})`,
        };
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (chain.network.flatFee !== 0n) {
    throw new ShardpayError(
      'USAGE',
      `a fee payer on shard ${shard} is needed and the fee is not 0: pass --dir DIR of a devnet (its faucet key pays)`,
      { meta: { flag: 'dir' } },
    );
  }
  for (;;) {
    const account = createAccountFromPrivateKey(randomBytes(32), chain.network);
    if (account.shard === shard) return { account, source: `a fresh key on shard ${shard} (the fee is 0)` };
  }
}

/** Signs with the sender's next nonce and an expiry a few blocks ahead (read from its shard). */
export async function nextTransaction(
  chain: OpenedChain,
  from: WalletAccount,
  build: (common: { from: WalletAccount; nonce: bigint; expiryHeight: bigint }) => Transaction,
): Promise<Transaction> {
  const state = await chain.client.getAccount(from.address);
  return build({
    from,
    nonce: state.pendingNonce,
    expiryHeight: state.height + BigInt(DEFAULT_EXPIRY_BLOCKS),
  });
}

/**
 * Submits `tx` to a node of its shard and waits until it is final there (and, with `credited`, until
 * its receipt is credited or refunded on the target shard), showing each stage. The last status.
 */
export async function submitAndFollow(
  chain: OpenedChain,
  tx: Transaction,
  options: { wanted: 'final' | 'credited'; timeoutMs: number; output: Output },
): Promise<{ txId: string; status: string; targetShard: number | null }> {
  const { txId } = await chain.client.submitTransaction(tx);
  options.output.progress(`  tx ${txId} submitted on shard ${tx.shard}; pending`);
  const final = await chain.client.waitForStatus(txId, 'final', {
    shard: tx.shard,
    timeoutMs: options.timeoutMs,
  });
  options.output.progress(`  ${final.status}`);
  let status = final;
  if (options.wanted === 'credited' && final.targetShard !== undefined && final.status === 'final') {
    status = await chain.client.waitForStatus(txId, 'credited', {
      shard: tx.shard,
      timeoutMs: options.timeoutMs,
    });
    options.output.progress(`  ${status.status} on shard ${status.targetShard ?? final.targetShard}`);
  }
  return { txId, status: status.status, targetShard: status.targetShard ?? null };
}

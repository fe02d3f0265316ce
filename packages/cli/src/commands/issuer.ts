import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesToHex, hexToBytes, publicKeyFromPrivateKey, ShardpayError } from '@shardpay/crypto';
import type { IssuerControlAction } from '@shardpay/protocol';
import { buildIssuerControl, signIssuerControl } from '@shardpay/sdk';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import {
  addressOnNetwork,
  chainOptions,
  feePayerOn,
  nextTransaction,
  type OpenedChain,
  openChain,
  submitAndFollow,
} from './chainContext.ts';
import { type FlagValues, parseAddressText, subcommandOf } from './commerceFlags.ts';
import { timeoutMsOf } from './waitForTransaction.ts';
import { resolveAddress } from './walletAccess.ts';

const usage = [
  'shardpay issuer pause|unpause [--shard N | --all] [--dir DIR] [--timeout SEC] [--json]',
  '       shardpay issuer freeze|unfreeze ADDRESS_OR_WALLET [--dir DIR] [--timeout SEC] [--json]',
  '       shardpay issuer show [--dir DIR] [--json]',
].join('\n');

/**
 * The devnet's issuer control keys that are members of the genesis control group, by owner index,
 * as many as the threshold needs. Only a devnet folder holds them (keys/issuer-control-<i>.json).
 */
async function controlKeys(
  chain: OpenedChain,
): Promise<Array<{ ownerIndex: number; privateKey: Uint8Array }>> {
  const control = chain.network.issuerControl;
  if (control === undefined) {
    throw new ShardpayError(
      'ISSUER_CONTROL_DISABLED',
      'this network has no issuer control group in its genesis',
      {
        meta: { type: 'invalid_request_error' },
      },
    );
  }
  if (chain.dir === undefined) {
    throw new ShardpayError('USAGE', 'issuer controls sign with a devnet folder’s keys: pass --dir DIR', {
      meta: { flag: 'dir' },
    });
  }
  const owners = control.owners.map((owner) => bytesToHex(owner));
  const keys: Array<{ ownerIndex: number; privateKey: Uint8Array }> = [];
  for (let file = 0; file < owners.length && keys.length < control.threshold; file++) {
    let text: string;
    try {
      text = await readFile(join(chain.dir, 'keys', `issuer-control-${file}.json`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const privateKey = hexToBytes(String((JSON.parse(text) as { privateKey?: unknown }).privateKey ?? ''));
    const ownerIndex = owners.indexOf(bytesToHex(publicKeyFromPrivateKey(privateKey)));
    if (ownerIndex >= 0) keys.push({ ownerIndex, privateKey });
  }
  if (keys.length < control.threshold) {
    throw new ShardpayError(
      'MULTISIG_SIGNATURES_INSUFFICIENT',
      `${chain.dir}/keys holds ${keys.length} issuer control key(s) of the group; ${control.threshold} must sign`,
      { meta: { type: 'invalid_request_error' } },
    );
  }
  return keys;
}

/** The shards a pause or unpause acts on: `--shard N`, else every shard (`--all`, the default). */
function shardsOf(values: FlagValues, shardCount: number): number[] {
  if (values.shard === undefined) return Array.from({ length: shardCount }, (_, shard) => shard);
  const text = String(values.shard);
  if (!/^[0-9]{1,4}$/.test(text) || Number(text) >= shardCount) {
    throw new ShardpayError('USAGE', `--shard takes a shard number, 0 to ${shardCount - 1}`, {
      meta: { flag: 'shard' },
    });
  }
  return [Number(text)];
}

/** Signs one action with the threshold of control keys and submits it on `shard`; waits until final. */
async function controlOnShard(
  chain: OpenedChain,
  keys: Array<{ ownerIndex: number; privateKey: Uint8Array }>,
  shard: number,
  action: IssuerControlAction,
  target: string | null,
  options: { timeoutMs: number; output: Output },
) {
  const { controlNonce } = await chain.client.getShardControl(shard);
  const signatures = keys.map((key) =>
    signIssuerControl(
      { chainId: chain.network.chainId, shard, controlNonce, action, target },
      key.privateKey,
      key.ownerIndex,
    ),
  );
  const payer = await feePayerOn(chain, shard);
  options.output.progress(
    `${action}${target === null ? '' : ` ${target}`} on shard ${shard} (fee paid by ${payer.source})`,
  );
  const tx = await nextTransaction(chain, payer.account, (common) =>
    buildIssuerControl({ ...common, action, target, controlNonce, signatures }),
  );
  const followed = await submitAndFollow(chain, tx, { wanted: 'final', ...options });
  return { shard, tx: followed.txId, status: followed.status, controlNonce: controlNonce.toString() };
}

async function runShow(chain: OpenedChain, output: Output): Promise<number> {
  const shards = await Promise.all(
    Array.from({ length: chain.network.shardCount }, async (_, shard) => {
      const state = await chain.client.getShardControl(shard);
      return { shard, paused: state.paused, controlNonce: state.controlNonce.toString() };
    }),
  );
  output.result({ shards }, () =>
    shards
      .map((s) => `shard ${s.shard}: ${s.paused ? 'PAUSED' : 'running'} (control nonce ${s.controlNonce})`)
      .join('\n'),
  );
  return 0;
}

/**
 * `shardpay issuer`: the issuer's compliance controls on a devnet — pause or unpause coin movements
 * per shard, freeze or unfreeze one account — signed with the devnet folder's issuer control keys
 * (a threshold of them) and submitted on each shard by its faucet key.
 */
export async function runIssuerCommand(
  values: FlagValues,
  positionals: string[],
  output: Output,
): Promise<number> {
  const { sub, rest } = subcommandOf(positionals, ['pause', 'unpause', 'freeze', 'unfreeze', 'show'], usage);
  const timeoutMs = timeoutMsOf(values.timeout);
  const freezing = sub === 'freeze' || sub === 'unfreeze';
  if (rest.length !== (freezing ? 1 : 0)) throw new ShardpayError('USAGE', `usage: ${usage}`);
  if (freezing && (values.shard !== undefined || values.all === true)) {
    throw new ShardpayError('USAGE', `${sub} acts on the account's own shard: no --shard or --all`);
  }
  if (values.shard !== undefined && values.all === true) {
    throw new ShardpayError('USAGE', '--shard and --all exclude each other', { meta: { flag: 'all' } });
  }
  const target = freezing ? parseAddressText((await resolveAddress(rest[0]!)).address, 'address') : null;
  const chain = await openChain(values);
  if (sub === 'show') return runShow(chain, output);
  const action = sub as IssuerControlAction;
  const shards = freezing
    ? [addressOnNetwork(chain.network, target!, 'address').shard]
    : shardsOf(values, chain.network.shardCount);
  const keys = await controlKeys(chain);
  const results: Array<Awaited<ReturnType<typeof controlOnShard>>> = [];
  for (const shard of shards) {
    results.push(await controlOnShard(chain, keys, shard, action, target, { timeoutMs, output }));
  }
  output.result({ action, target, shards: results }, () =>
    results
      .map(
        (r) =>
          `${action}${target === null ? '' : ` ${target}`} on shard ${r.shard}: ${r.status} (tx ${r.tx})`,
      )
      .join('\n'),
  );
  return 0;
}

export const issuerCommand: Command = {
  summary: 'devnet issuer controls: pause/unpause shards, freeze/unfreeze accounts',
  usage,
  options: { ...chainOptions, shard: { type: 'string' }, all: { type: 'boolean' } },
  run: ({ values, positionals }, output) => runIssuerCommand(values, positionals, output),
};

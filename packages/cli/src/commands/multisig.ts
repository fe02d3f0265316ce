import { bytesToHex, decodeAddress, encodeAddress, hexToBytes, ShardpayError } from '@shardpay/crypto';
import { formatAmount, multisigAddress, type TransferOperation } from '@shardpay/protocol';
import {
  buildMultisigCreate,
  buildMultisigExecute,
  findMultisigSalt,
  type MultisigSignature,
  signMultisig,
  sortMultisigOwners,
} from '@shardpay/sdk';
import { findWallet, loadWallet } from '../home/walletStore.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import {
  addressOnNetwork,
  chainOptions,
  chainUsage,
  nextTransaction,
  openChain,
  openWallet,
  submitAndFollow,
} from './chainContext.ts';
import {
  type FlagValues,
  optionalFlag,
  parseAddressText,
  requireFlag,
  subcommandOf,
} from './commerceFlags.ts';
import { timeoutMsOf } from './waitForTransaction.ts';
import { parseAmountFlag, resolveAddress } from './walletAccess.ts';

const usage = [
  `shardpay multisig create --owners PUBKEY_OR_WALLET,… --threshold M --wallet CREATOR ${chainUsage} [--json]`,
  `       shardpay multisig show ADDRESS ${chainUsage} [--json]`,
  `       shardpay multisig sign ADDRESS --to ADDRESS_OR_WALLET --amount A [--memo M] --wallet OWNER ${chainUsage} [--json]`,
  `       shardpay multisig send ADDRESS --to ADDRESS_OR_WALLET --amount A [--memo M] --signature INDEX:HEX … --wallet FEE_PAYER ${chainUsage} [--json]`,
  '       shardpay multisig pubkey --wallet NAME [--json]',
].join('\n');

/** `--owners`: compressed public keys (66 hex) or names of local wallets (their public key). */
async function parseOwners(value: string): Promise<string[]> {
  const owners: string[] = [];
  for (const entry of value.split(',').map((item) => item.trim())) {
    if (/^[0-9a-fA-F]{66}$/.test(entry)) {
      owners.push(entry.toLowerCase());
      continue;
    }
    const wallet = entry === '' ? undefined : await findWallet(entry);
    if (!wallet) {
      throw new ShardpayError(
        'KEY_INVALID',
        '--owners takes compressed public keys (66 hex characters) or names of local wallets, comma-separated',
        { meta: { type: 'invalid_request_error', flag: 'owners' } },
      );
    }
    owners.push(wallet.publicKey);
  }
  try {
    return sortMultisigOwners(owners).map((key) => bytesToHex(key));
  } catch (error) {
    throw new ShardpayError('KEY_INVALID', `--owners: ${(error as Error).message}`, {
      meta: { type: 'invalid_request_error', flag: 'owners' },
    });
  }
}

function parseThreshold(value: string | boolean | undefined, owners: number): number {
  if (typeof value !== 'string' || !/^[1-9][0-9]?$/.test(value) || Number(value) > owners) {
    throw new ShardpayError(
      'USAGE',
      `--threshold takes a whole number from 1 to the number of owners (${owners})`,
      {
        meta: { flag: 'threshold' },
      },
    );
  }
  return Number(value);
}

/** `--signature INDEX:HEX` (repeatable, or comma-separated) as the builder takes them. */
export function parseSignatures(value: unknown): MultisigSignature[] {
  const texts = (Array.isArray(value) ? value : typeof value === 'string' ? [value] : [])
    .flatMap((text: string) => text.split(','))
    .map((text) => text.trim())
    .filter((text) => text !== '');
  if (texts.length === 0) {
    throw new ShardpayError('USAGE', '--signature INDEX:HEX is required (from shardpay multisig sign)', {
      meta: { flag: 'signature' },
    });
  }
  return texts.map((text) => {
    const match = /^([0-9]{1,2}):([0-9a-fA-F]{128})$/.exec(text);
    if (!match) {
      throw new ShardpayError(
        'USAGE',
        '--signature takes INDEX:HEX (an owner index and 128 hex characters)',
        {
          meta: { flag: 'signature' },
        },
      );
    }
    return { ownerIndex: Number(match[1]), signature: hexToBytes(match[2]!.toLowerCase()) };
  });
}

/** The transfer a multisig account is to make: `--to`, `--amount`, `--memo`, checked locally. */
async function transferFlags(values: FlagValues) {
  const toText = requireFlag(values, 'to', 'ADDRESS_OR_WALLET', usage);
  const to = parseAddressText((await resolveAddress(toText)).address, 'to');
  const amount = parseAmountFlag(values.amount);
  const memo = optionalFlag(values, 'memo') ?? '';
  return { to, amount, memo };
}

function accountArgument(rest: string[]): string {
  const [account, ...extra] = rest;
  if (account === undefined || extra.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  return parseAddressText(account, 'account');
}

async function runCreate(values: FlagValues, rest: string[], output: Output): Promise<number> {
  if (rest.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const walletName = requireFlag(values, 'wallet', 'NAME (the creator; pays the fee)', usage);
  const owners = await parseOwners(requireFlag(values, 'owners', 'PUBKEY_OR_WALLET,…', usage));
  const threshold = parseThreshold(values.threshold, owners.length);
  const timeoutMs = timeoutMsOf(values.timeout);
  const chain = await openChain(values);
  const creator = await openWallet(chain, walletName);
  const salt = findMultisigSalt(chain.network, creator.addressBytes, creator.shard);
  const address = encodeAddress(
    multisigAddress(chain.network.chainId, creator.addressBytes, salt),
    chain.network.addressPrefix,
  );
  output.progress(
    `creating ${threshold}-of-${owners.length} multisig account ${address} on shard ${creator.shard}`,
  );
  const tx = await nextTransaction(chain, creator, (common) =>
    buildMultisigCreate({ ...common, owners, threshold, salt }),
  );
  const followed = await submitAndFollow(chain, tx, { wanted: 'final', timeoutMs, output });
  const result = {
    address,
    shard: creator.shard,
    owners,
    threshold,
    creator: creator.address,
    tx: followed.txId,
    status: followed.status,
  };
  output.result(result, () =>
    [
      `multisig account ${address} (shard ${creator.shard}): ${threshold} of ${owners.length} owners sign`,
      ...owners.map((owner, index) => `  owner ${index}: ${owner}`),
      `  tx ${followed.txId}`,
    ].join('\n'),
  );
  return 0;
}

async function runShow(values: FlagValues, rest: string[], output: Output): Promise<number> {
  const account = accountArgument(rest);
  const chain = await openChain(values);
  addressOnNetwork(chain.network, account, 'account');
  const [state, balance] = await Promise.all([
    chain.client.getMultisig(account),
    chain.client.getAccount(account),
  ]);
  const result = {
    address: state.address,
    shard: state.shard,
    owners: state.owners,
    threshold: state.threshold,
    nonce: state.nonce.toString(),
    balance: formatAmount(balance.balance),
    height: state.height.toString(),
  };
  output.result(result, () =>
    [
      `multisig account ${result.address} (shard ${result.shard}): ${result.threshold} of ${result.owners.length}`,
      `  balance ${result.balance} USD, next nonce ${result.nonce}`,
      ...result.owners.map((owner, index) => `  owner ${index}: ${owner}`),
    ].join('\n'),
  );
  return 0;
}

/** The transfer operation the owners sign and the executor sends (the same bytes both times). */
function transferOperation(
  network: { addressPrefix: string },
  transfer: { to: string; amount: bigint; memo: string },
): TransferOperation {
  return {
    type: 'transfer',
    to: decodeAddress(transfer.to, network.addressPrefix),
    amount: transfer.amount,
    memo: transfer.memo,
  };
}

async function runSign(values: FlagValues, rest: string[], output: Output): Promise<number> {
  const account = accountArgument(rest);
  const walletName = requireFlag(values, 'wallet', 'NAME (an owner)', usage);
  const transfer = await transferFlags(values);
  const chain = await openChain(values);
  addressOnNetwork(chain.network, account, 'account');
  addressOnNetwork(chain.network, transfer.to, 'to');
  const state = await chain.client.getMultisig(account);
  const owner = await openWallet(chain, walletName);
  const ownerIndex = state.owners.indexOf(bytesToHex(owner.publicKey));
  if (ownerIndex < 0) {
    throw new ShardpayError('MULTISIG_OWNERS_INVALID', `wallet ${walletName} is not an owner of ${account}`, {
      meta: { type: 'invalid_request_error' },
    });
  }
  const signed = signMultisig(
    {
      chainId: chain.network.chainId,
      account,
      accountNonce: state.nonce,
      operation: transferOperation(chain.network, transfer),
    },
    owner.exportPrivateKey(),
    ownerIndex,
  );
  const signature = `${signed.ownerIndex}:${bytesToHex(signed.signature)}`;
  const result = {
    account,
    nonce: state.nonce.toString(),
    ownerIndex,
    signature,
    to: transfer.to,
    amount: formatAmount(transfer.amount),
    memo: transfer.memo,
  };
  output.result(result, () =>
    [
      `signed by owner ${ownerIndex}: ${formatAmount(transfer.amount)} USD from ${account} to ${transfer.to} (account nonce ${state.nonce})`,
      `  --signature ${signature}`,
      `  (valid only for this nonce: collect ${state.threshold} and run shardpay multisig send)`,
    ].join('\n'),
  );
  return 0;
}

async function runSend(values: FlagValues, rest: string[], output: Output): Promise<number> {
  const account = accountArgument(rest);
  const walletName = requireFlag(values, 'wallet', 'NAME (pays the fee)', usage);
  const transfer = await transferFlags(values);
  const signatures = parseSignatures(values.signature);
  const timeoutMs = timeoutMsOf(values.timeout);
  const chain = await openChain(values);
  addressOnNetwork(chain.network, account, 'account');
  const toShard = addressOnNetwork(chain.network, transfer.to, 'to').shard;
  const state = await chain.client.getMultisig(account);
  const payer = await openWallet(chain, walletName);
  if (payer.shard !== state.shard) {
    throw new ShardpayError(
      'MULTISIG_WRONG_SHARD',
      `the fee payer must live on the account's shard ${state.shard}; wallet ${walletName} is on shard ${payer.shard}`,
      { meta: { type: 'invalid_request_error' } },
    );
  }
  output.progress(
    `sending ${formatAmount(transfer.amount)} USD from multisig ${account} to ${transfer.to} with ${signatures.length} signature(s)`,
  );
  const tx = await nextTransaction(chain, payer, (common) =>
    buildMultisigExecute({
      ...common,
      account,
      accountNonce: state.nonce,
      operation: transferOperation(chain.network, transfer),
      signatures,
    }),
  );
  const followed = await submitAndFollow(chain, tx, {
    wanted: toShard === state.shard ? 'final' : 'credited',
    timeoutMs,
    output,
  });
  const result = {
    account,
    tx: followed.txId,
    status: followed.status,
    fromShard: state.shard,
    toShard,
    to: transfer.to,
    amount: formatAmount(transfer.amount),
    nonce: state.nonce.toString(),
  };
  output.result(
    result,
    () => `${followed.status}: ${result.amount} USD from ${account} to ${transfer.to}\n  tx ${followed.txId}`,
  );
  return 0;
}

/** A wallet's public key, read from its file (no passphrase): what `--owners` takes. */
async function runPubkey(values: FlagValues, rest: string[], output: Output): Promise<number> {
  if (rest.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const wallet = await loadWallet(requireFlag(values, 'wallet', 'NAME', usage));
  const result = {
    wallet: wallet.name,
    address: wallet.address,
    shard: wallet.shard,
    publicKey: wallet.publicKey,
  };
  output.result(result, () => wallet.publicKey);
  return 0;
}

/** `shardpay multisig`: M-of-N accounts — create, show, sign a transfer, send it with M signatures. */
export async function runMultisigCommand(
  values: FlagValues,
  positionals: string[],
  output: Output,
): Promise<number> {
  const { sub, rest } = subcommandOf(positionals, ['create', 'show', 'sign', 'send', 'pubkey'], usage);
  switch (sub) {
    case 'create':
      return runCreate(values, rest, output);
    case 'show':
      return runShow(values, rest, output);
    case 'sign':
      return runSign(values, rest, output);
    case 'send':
      return runSend(values, rest, output);
    default:
      return runPubkey(values, rest, output);
  }
}

export const multisigCommand: Command = {
  summary: 'M-of-N multisig accounts: create, show, sign, send, pubkey',
  usage,
  options: {
    ...chainOptions,
    wallet: { type: 'string' },
    owners: { type: 'string' },
    threshold: { type: 'string' },
    to: { type: 'string' },
    amount: { type: 'string' },
    memo: { type: 'string' },
    signature: { type: 'string', multiple: true },
  },
  run: ({ values, positionals }, output) => runMultisigCommand(values, positionals, output),
};

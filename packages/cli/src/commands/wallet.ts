import { bytesToHex, ShardpayError } from '@shardpay/crypto';
import { createWallet, restoreWallet, type Wallet } from '@shardpay/sdk';
import { shardpayHomeDir } from '../home/shardpayHome.ts';
import { assertWalletName, findWallet, listWallets, saveNewWallet } from '../home/walletStore.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { formatTable } from './formatTable.ts';
import { fetchNetwork, gatewayOption, openGateway } from './gatewayContext.ts';
import { readSecret } from './readSecret.ts';
import { ensureWalletRegistered } from './walletAccess.ts';

type Values = Record<string, string | boolean | undefined>;

/** Shortest passphrase accepted for a new wallet. */
const MIN_PASSPHRASE_LENGTH = 8;
/** How many BIP44 accounts `--shard` looks through for one on the wanted shard. */
const MAX_ACCOUNT_SEARCH = 1000;

/**
 * The account the CLI will use: index 0, or with `--shard S` the first BIP44 account whose address
 * lives on shard S (addresses spread over shards by their hash, so one turns up within a few tries).
 */
function chooseAccount(wallet: Wallet, values: Values) {
  if (values.shard === undefined) return wallet.account(0);
  const text = String(values.shard);
  const shard = /^(0|[1-9][0-9]{0,3})$/.test(text) ? Number(text) : Number.NaN;
  if (!(shard < wallet.network.shardCount)) {
    throw new ShardpayError(
      'USAGE',
      `--shard takes a shard of this network: 0 to ${wallet.network.shardCount - 1}`,
      { meta: { flag: 'shard' } },
    );
  }
  for (let index = 0; index < MAX_ACCOUNT_SEARCH; index++) {
    const account = wallet.account(index);
    if (account.shard === shard) return account;
  }
  throw new ShardpayError('USAGE', `no account on shard ${shard} among the first ${MAX_ACCOUNT_SEARCH}`, {
    meta: { flag: 'shard' },
  });
}

async function readMnemonicFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new ShardpayError(
      'USAGE',
      '--mnemonic-stdin reads the phrase from a pipe: echo "$WORDS" | shardpay wallet import NAME --mnemonic-stdin',
      {
        meta: { flag: 'mnemonic-stdin' },
      },
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `wallet create` and `wallet import`: a wallet from a new or given mnemonic, kept encrypted. */
async function addWallet(
  name: string,
  values: Values,
  output: Output,
  mnemonic: string | undefined,
): Promise<number> {
  if (await findWallet(name)) {
    throw new ShardpayError(
      'WALLET_NAME_TAKEN',
      `a wallet "${name}" already exists in ${shardpayHomeDir()}`,
      {
        meta: { type: 'invalid_request_error', name },
      },
    );
  }
  const gateway = openGateway(values);
  const { network } = await fetchNetwork(gateway.client);
  const wallet: Wallet =
    mnemonic === undefined ? createWallet({ network }) : restoreWallet(mnemonic, { network });
  const passphrase = await readSecret({
    variable: 'SHARDPAY_PASSPHRASE',
    what: `passphrase for wallet "${name}"`,
    confirm: true,
    minLength: MIN_PASSPHRASE_LENGTH,
  });
  const account = chooseAccount(wallet, values);
  await saveNewWallet({
    version: 1,
    name,
    address: account.address,
    account: account.index ?? 0,
    shard: account.shard,
    chainId: network.chainId,
    publicKey: bytesToHex(account.publicKey),
    created: Math.floor(Date.now() / 1000),
    keystore: await wallet.exportKeystore(passphrase),
  });
  // Registration sends the address, the public key and a signed challenge: never the mnemonic.
  let registered = false;
  if (gateway.session) {
    try {
      await ensureWalletRegistered(gateway.client, account, name);
      registered = true;
    } catch (error) {
      output.progress(
        `warning: wallet saved but not registered with ${gateway.url} (${(error as Error).message}); shardpay send registers it`,
      );
    }
  }
  const showMnemonic = mnemonic === undefined && (values['show-mnemonic'] === true || !output.json);
  const result = {
    name,
    address: account.address,
    shard: account.shard,
    registered,
    ...(showMnemonic && output.json ? { mnemonic: wallet.exportMnemonic() } : {}),
  };
  output.result(result, () => {
    const lines = [
      `wallet "${name}" ${mnemonic === undefined ? 'created' : 'imported'}`,
      `  address  ${account.address}`,
      `  shard    ${account.shard}`,
      `  saved in ${shardpayHomeDir()}/wallets/${name}.json (encrypted with your passphrase)`,
      registered
        ? `  registered with ${gateway.url}`
        : `  not registered with a gateway yet (log in, then send registers it)`,
    ];
    if (showMnemonic) {
      lines.push(
        '',
        'Recovery phrase (shown once: write it down and keep it offline; anyone with it owns the money):',
        '',
        `  ${wallet.exportMnemonic()}`,
      );
    }
    return lines.join('\n');
  });
  return 0;
}

async function listCommand(output: Output): Promise<number> {
  const wallets = await listWallets();
  const data = wallets.map((wallet) => ({
    name: wallet.name,
    address: wallet.address,
    shard: wallet.shard,
    chainId: wallet.chainId,
    created: wallet.created,
  }));
  output.result({ data }, () =>
    data.length === 0
      ? `no wallets in ${shardpayHomeDir()}; create one with shardpay wallet create NAME`
      : formatTable([
          ['NAME', 'ADDRESS', 'SHARD', 'CHAIN'],
          ...data.map((wallet) => [wallet.name, wallet.address, String(wallet.shard), wallet.chainId]),
        ]),
  );
  return 0;
}

const usage =
  'shardpay wallet create NAME [--shard S] [--show-mnemonic] | wallet import NAME --mnemonic-stdin [--shard S] | wallet list  [--gateway URL] [--json]';

/** `shardpay wallet create|import|list`. */
export async function runWalletCommand(
  values: Values,
  positionals: string[],
  output: Output,
): Promise<number> {
  const [action, name, ...extra] = positionals;
  if (extra.length > 0)
    throw new ShardpayError('USAGE', `unexpected arguments: ${extra.join(' ')}; usage: ${usage}`);
  switch (action) {
    case 'create':
      return addWallet(assertWalletName(name), values, output, undefined);
    case 'import': {
      if (values['mnemonic-stdin'] !== true) {
        throw new ShardpayError(
          'USAGE',
          `wallet import takes the phrase on stdin: --mnemonic-stdin; usage: ${usage}`,
        );
      }
      const walletName = assertWalletName(name);
      return addWallet(walletName, values, output, await readMnemonicFromStdin());
    }
    case 'list':
      if (name !== undefined) throw new ShardpayError('USAGE', `wallet list takes no name; usage: ${usage}`);
      return listCommand(output);
    default:
      throw new ShardpayError('USAGE', `wallet needs create, import or list; usage: ${usage}`);
  }
}

export const walletCommand: Command = {
  summary: 'create, import (from a mnemonic) or list the wallets kept in SHARDPAY_HOME',
  usage,
  options: {
    ...gatewayOption,
    'show-mnemonic': { type: 'boolean' },
    'mnemonic-stdin': { type: 'boolean' },
    shard: { type: 'string' },
  },
  run: ({ values, positionals }, output) => runWalletCommand(values, positionals, output),
};

import { ShardpayError } from '@shardpay/crypto';
import { loadWallet } from '../home/walletStore.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { type FlagValues, optionalFlag, parseTypedId, requireFlag, subcommandOf } from './commerceFlags.ts';
import { formatTable } from './formatTable.ts';
import { assertLoggedIn, openGateway } from './gatewayContext.ts';
import { openMerchantApi } from './merchantApi.ts';
import { gatewayWalletId } from './rampInputs.ts';

const usage = [
  'shardpay merchant create NAME --wallet WALLET [--gateway URL] [--json]',
  '       shardpay merchant list [--gateway URL] [--json]',
  '       shardpay merchant keys create MER_ID --scopes invoices:read,invoices:write,… [--name NAME] [--gateway URL] [--json]',
  '       shardpay merchant keys list MER_ID [--gateway URL] [--json]',
  '       shardpay merchant keys revoke MER_ID KEY_ID [--gateway URL] [--json]',
].join('\n');

/** The scopes an API key may hold (docs/gateway.md "Merchants and invoices"). */
export const API_KEY_SCOPES = [
  'invoices:read',
  'invoices:write',
  'refunds:write',
  'events:read',
  'webhooks:read',
  'webhooks:write',
] as const;

interface MerchantObject {
  id: string;
  name: string;
  wallet: string;
  address: string;
  created: number;
}

interface ApiKeyObject {
  id: string;
  merchant: string;
  name: string;
  scopes: string[];
  last4: string;
  revoked: number | null;
  created: number;
  secret?: string;
}

function merchantJson(merchant: MerchantObject) {
  return {
    id: merchant.id,
    name: merchant.name,
    wallet: merchant.wallet,
    address: merchant.address,
    created: merchant.created,
  };
}

function keyJson(key: ApiKeyObject) {
  return {
    id: key.id,
    merchant: key.merchant,
    name: key.name,
    scopes: key.scopes,
    last4: key.last4,
    revoked: key.revoked,
    created: key.created,
  };
}

function parseScopes(value: string): string[] {
  const scopes = [
    ...new Set(
      value
        .split(',')
        .map((scope) => scope.trim())
        .filter((scope) => scope !== ''),
    ),
  ];
  const unknown = scopes.filter((scope) => !(API_KEY_SCOPES as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new ShardpayError(
      'USAGE',
      `--scopes takes a comma-separated list of ${API_KEY_SCOPES.join(', ')}${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`,
      { meta: { flag: 'scopes' } },
    );
  }
  return scopes;
}

async function runCreate(values: FlagValues, rest: string[], output: Output): Promise<number> {
  const [name, ...extra] = rest;
  if (name === undefined || extra.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const walletText = requireFlag(values, 'wallet', 'WALLET (a local wallet name or a wal_ id)', usage);
  const gateway = openGateway(values);
  assertLoggedIn(gateway);
  const walletId = walletText.startsWith('wal_')
    ? walletText
    : await gatewayWalletId(gateway.client, await loadWallet(walletText), () =>
        output.progress(`registered wallet ${walletText} with ${gateway.url}`),
      );
  const api = await openMerchantApi(values, { scoped: false });
  const merchant = merchantJson(
    await api.request<MerchantObject>('POST', '/v1/merchants', { name, wallet: walletId }),
  );
  output.result(merchant, () =>
    [
      `merchant ${merchant.id} "${merchant.name}"`,
      `  paid to ${merchant.address} (wallet ${merchant.wallet})`,
    ].join('\n'),
  );
  return 0;
}

async function runList(values: FlagValues, rest: string[], output: Output): Promise<number> {
  if (rest.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const api = await openMerchantApi(values, { scoped: false });
  const page = await api.request<{ data: MerchantObject[]; has_more: boolean }>(
    'GET',
    '/v1/merchants?limit=100',
  );
  const data = page.data.map(merchantJson);
  output.result({ data, hasMore: page.has_more }, () =>
    data.length === 0
      ? 'no merchants yet: shardpay merchant create NAME --wallet WALLET'
      : formatTable([['ID', 'NAME', 'ADDRESS'], ...data.map((m) => [m.id, m.name, m.address])]),
  );
  return 0;
}

async function runKeys(values: FlagValues, rest: string[], output: Output): Promise<number> {
  const { sub, rest: args } = subcommandOf(rest, ['create', 'list', 'revoke'], usage);
  const merchantId = parseTypedId(args[0], 'mer', 'a merchant id', usage);
  const base = `/v1/merchants/${encodeURIComponent(merchantId)}/api_keys`;
  if (sub === 'create') {
    if (args.length !== 1) throw new ShardpayError('USAGE', `usage: ${usage}`);
    const scopes = parseScopes(requireFlag(values, 'scopes', 'SCOPE,…', usage));
    const name = optionalFlag(values, 'name') ?? 'cli';
    const api = await openMerchantApi(values, { scoped: false });
    const key = await api.request<ApiKeyObject>('POST', base, { name, scopes });
    output.result({ ...keyJson(key), secret: key.secret }, () =>
      [
        `API key ${key.id} for ${key.merchant} (${key.scopes.join(', ')})`,
        `  secret: ${key.secret}`,
        '  this secret is shown once and cannot be shown again: store it now (SHARDPAY_API_KEY)',
      ].join('\n'),
    );
    return 0;
  }
  if (sub === 'list') {
    if (args.length !== 1) throw new ShardpayError('USAGE', `usage: ${usage}`);
    const api = await openMerchantApi(values, { scoped: false });
    const page = await api.request<{ data: ApiKeyObject[]; has_more: boolean }>('GET', `${base}?limit=100`);
    const data = page.data.map(keyJson);
    output.result({ data, hasMore: page.has_more }, () =>
      data.length === 0
        ? `no API keys for ${merchantId}`
        : formatTable([
            ['ID', 'NAME', 'SCOPES', 'LAST4', 'STATE'],
            ...data.map((k) => [
              k.id,
              k.name,
              k.scopes.join(','),
              k.last4,
              k.revoked === null ? 'active' : 'revoked',
            ]),
          ]),
    );
    return 0;
  }
  if (args.length !== 2) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const keyId = parseTypedId(args[1], 'mk', 'an API key id', usage);
  const api = await openMerchantApi(values, { scoped: false });
  const key = await api.request<ApiKeyObject>('DELETE', `${base}/${encodeURIComponent(keyId)}`);
  output.result(keyJson(key), () => `revoked API key ${key.id} of ${key.merchant}`);
  return 0;
}

/** `shardpay merchant`: merchant accounts and their scoped API keys (as the logged-in owner). */
export async function runMerchantCommand(
  values: FlagValues,
  positionals: string[],
  output: Output,
): Promise<number> {
  const { sub, rest } = subcommandOf(positionals, ['create', 'list', 'keys'], usage);
  if (sub === 'create') return runCreate(values, rest, output);
  if (sub === 'list') return runList(values, rest, output);
  return runKeys(values, rest, output);
}

export const merchantCommand: Command = {
  summary: 'merchant accounts and their API keys (create, list, keys create|list|revoke)',
  usage,
  options: {
    gateway: { type: 'string' },
    wallet: { type: 'string' },
    scopes: { type: 'string' },
    name: { type: 'string' },
  },
  run: ({ values, positionals }, output) => runMerchantCommand(values, positionals, output),
};

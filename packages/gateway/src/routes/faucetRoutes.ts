import { isShardpayError } from '@shardpay/crypto';
import { formatAmount, type NetworkConfig, parseAmount } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import type { ChainClient } from '../chain/createChainClient.ts';
import { homeShardOf } from '../chain/readAccount.ts';
import { createFaucet } from '../faucet/createFaucet.ts';
import { loadFaucetKeys } from '../faucet/loadFaucetKeys.ts';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { errorResponseSchema, idempotencyHeaderSchema } from '../schemas/commonSchemas.ts';
import {
  FAUCET_MAX_AMOUNT,
  type FaucetBody,
  faucetBodySchema,
  faucetTransferSchema,
} from '../schemas/faucetSchemas.ts';

/** What the faucet route needs beyond the context: the chain, its genesis and the keys folder. */
export interface FaucetRoutesOptions extends GatewayContext {
  chain: ChainClient;
  network: NetworkConfig;
  /** Folder of `faucet-<shard>.json` key files; undefined: the route answers 403 faucet_disabled. */
  keysDir: string | undefined;
}

const maxAmount = parseAmount(FAUCET_MAX_AMOUNT);

function readFaucetAmount(text: string): bigint {
  let amount: bigint;
  try {
    amount = parseAmount(text);
  } catch (error) {
    if (isShardpayError(error)) throw apiError('PARAMETER_INVALID', `amount: ${error.message}`, 'amount');
    throw error;
  }
  if (amount > maxAmount) {
    throw apiError(
      'PARAMETER_INVALID',
      `the faucet gives at most ${FAUCET_MAX_AMOUNT} per request`,
      'amount',
    );
  }
  return amount;
}

/**
 * POST /v1/faucet (devnet only, no auth): free test money. The transfer is signed by the faucet
 * key of the receiver's home shard, so it never crosses shards, and submitted through the chain
 * client. Registered only on a devnet gateway; without a keys folder it says why it is off.
 */
export async function faucetRoutes(app: FastifyInstance, options: FaucetRoutesOptions): Promise<void> {
  const { chain, network, keysDir } = options;
  const faucet =
    keysDir === undefined
      ? undefined
      : createFaucet({ chain, network, accounts: await loadFaucetKeys(keysDir, network) });

  app.post<{ Body: FaucetBody }>(
    '/v1/faucet',
    {
      schema: {
        tags: ['chain'],
        summary: 'Devnet only: send free test money to an address (from the faucet of its home shard)',
        headers: idempotencyHeaderSchema,
        body: faucetBodySchema,
        response: { 201: faucetTransferSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'required' },
    },
    async (request, reply) => {
      if (faucet === undefined) {
        throw apiError(
          'FAUCET_DISABLED',
          'the faucet is off: it runs on a devnet gateway started with SHARDPAY_FAUCET_KEYS_DIR',
        );
      }
      const { address } = request.body;
      homeShardOf(network, address); // a bad address is refused before the amount is looked at
      const amount = readFaucetAmount(request.body.amount);
      const sent = await faucet.send(address, amount);
      return reply.code(201).send({
        object: 'faucet_transfer',
        tx_id: sent.txId,
        shard: sent.shard,
        to: sent.to,
        amount: formatAmount(sent.amount),
        currency: 'usd',
        status: 'pending',
      });
    },
  );
}

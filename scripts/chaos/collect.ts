/**
 * Reads what the healed network holds, for the history: each validator's blocks over the scenario's
 * heights (asked of that validator alone, so a validator that lost a block shows it), the supply
 * and the involved accounts' balances, and the gateway's reserve reading.
 */
import { callNodeRpc } from '@shardpay/cli';
import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import {
  type BlockJson,
  type NetworkConfig,
  parseAmount,
  receiptFromJson,
  receiptId,
  transactionFromJson,
  transactionId,
} from '@shardpay/protocol';
import type { NodeClient } from '@shardpay/sdk';
import type { ValidatorProcess } from './cluster.ts';
import type { BlockView, ChainView, MoneyView, ReserveReading } from './history.ts';

/** One validator's blocks `from`..`to` (inclusive), as that validator serves them. */
export async function readChainView(
  validator: ValidatorProcess,
  network: NetworkConfig,
  from: bigint,
  to: bigint,
): Promise<ChainView> {
  const options = { addressPrefix: network.addressPrefix };
  const blocks: BlockView[] = [];
  for (let height = from; height <= to; height++) {
    let json: BlockJson | null;
    try {
      json = (await callNodeRpc(
        validator.url,
        'shardpay_getBlock',
        { height: height.toString() },
        { timeoutMs: 5000 },
      )) as BlockJson | null;
    } catch {
      json = null;
    }
    // A missing block is left out: the checker reports any acknowledged transfer it held.
    if (json === null) continue;
    const h = json.header;
    blocks.push({
      height,
      header: [h.parentHash, h.txRoot, h.incomingRoot, h.stateRoot, h.receiptsRoot].join('/'),
      txIds: json.transactions.map((tx) => bytesToHex(transactionId(transactionFromJson(tx, options)))),
      incoming: json.incoming.flatMap((batch) =>
        batch.receipts.map(({ receipt: receiptJson }) => {
          const receipt = receiptFromJson(receiptJson, options);
          return {
            receiptId: bytesToHex(receiptId(receipt)),
            kind: receipt.kind,
            txId: bytesToHex(receipt.txId),
            sourceShard: receipt.sourceShard,
            to: encodeAddress(receipt.to, network.addressPrefix),
            amount: receipt.amount,
          };
        }),
      ),
    });
  }
  return { shard: validator.shard, validator: validator.index, blocks };
}

/** The network's supply (Σ over shards of minted − burned) and the balances of `addresses`. */
export async function readMoney(client: NodeClient, shards: number, addresses: string[]): Promise<MoneyView> {
  let supply = 0n;
  for (let shard = 0; shard < shards; shard++) {
    const answer = (await client.call(shard, 'shardpay_getSupply')) as { minted: string; burned: string };
    supply +=
      parseAmount(answer.minted, { allowZero: true }) - parseAmount(answer.burned, { allowZero: true });
  }
  const balances: Record<string, bigint> = {};
  for (const address of addresses) balances[address] = (await client.getAccount(address)).balance;
  return { supply, balances };
}

/** `GET /v1/reserves` of the gateway, or undefined when it does not answer (it may be restarting). */
export async function readReserve(gatewayUrl: string, at: number): Promise<ReserveReading | undefined> {
  try {
    const response = await fetch(`${gatewayUrl}/v1/reserves`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) {
      await response.arrayBuffer();
      return undefined;
    }
    const body = (await response.json()) as { supply: string; reserve: string; matches: boolean };
    return {
      at,
      supply: parseAmount(body.supply, { allowZero: true }),
      reserve: parseAmount(body.reserve, { allowZero: true }),
      matches: body.matches,
    };
  } catch {
    return undefined;
  }
}

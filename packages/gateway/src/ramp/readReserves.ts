import { formatAmount, parseAmount } from '@shardpay/protocol';
import type { RampServices } from './RampServices.ts';

/** One shard's part of the supply, as its node reported it. */
export interface ShardSupply {
  id: number;
  height: string;
  minted: bigint;
  burned: bigint;
}

/** Supply against reserve, with what is in flight between them (docs/gateway.md "Reserves"). */
export interface ReservesReading {
  /**
   * Σ over shards of (minted − burned): every coin in existence, the genesis allocations included
   * (the reserve holds an opening deposit backing those; on a devnet, `shardpay devnet` makes it).
   */
  supply: bigint;
  /** The genesis allocations, part of `supply` (shown apart for the reserve report). */
  genesis: bigint;
  /** The bank's available reserve. */
  reserve: bigint;
  /** Coins minted (final) whose card charge is not captured yet: in the supply, not yet in the reserve. */
  awaitingCapture: bigint;
  /** Coins burned (final) whose payout is not yet at the bank, or whose payout failed and refund is owed. */
  awaitingPayout: bigint;
  /** reserve − (supply − awaitingCapture + awaitingPayout): zero when every coin is backed. */
  difference: bigint;
  shards: ShardSupply[];
  bank: { available: bigint; pendingPayouts: bigint; asOf: number };
}

interface SupplyAnswer {
  height?: unknown;
  minted?: unknown;
  burned?: unknown;
}

/**
 * Reads every shard's supply (`shardpay_getSupply`), the bank's reserve and the in-flight amounts from
 * the database. The bank is read after the chain and the database last, so a movement finishing
 * mid-reading shows as a transient difference, never a hidden one (the reconciler alerts only on a
 * difference seen twice in a row).
 */
export async function readReserves(services: RampServices): Promise<ReservesReading> {
  const { chain, network, bank, database } = services;
  const shards: ShardSupply[] = [];
  for (let shard = 0; shard < network.shardCount; shard++) {
    const answer = await chain.call<SupplyAnswer>(shard, 'shardpay_getSupply');
    if (typeof answer.minted !== 'string' || typeof answer.burned !== 'string') {
      throw new Error(`shardpay_getSupply answered an unexpected shape for shard ${shard}`);
    }
    shards.push({
      id: shard,
      height: String(answer.height),
      minted: parseAmount(answer.minted, { allowZero: true }),
      burned: parseAmount(answer.burned, { allowZero: true }),
    });
  }
  const bankReserve = await bank.getReserve();
  const inFlight = await database.query<{ capture: bigint | null; payout: bigint | null }>(
    `SELECT (SELECT sum(amount) FROM purchases WHERE status = 'minted') AS capture,
            (SELECT sum(amount) FROM cashouts WHERE status IN ('burned', 'refunding')) AS payout`,
  );
  const awaitingCapture = BigInt(inFlight.rows[0]?.capture ?? 0n);
  const awaitingPayout = BigInt(inFlight.rows[0]?.payout ?? 0n);
  const genesis = network.initialBalances.reduce((sum, balance) => sum + balance.amount, 0n);
  const supply = shards.reduce((sum, shard) => sum + shard.minted - shard.burned, 0n);
  const difference = bankReserve.available - (supply - awaitingCapture + awaitingPayout);
  return {
    supply,
    genesis,
    reserve: bankReserve.available,
    awaitingCapture,
    awaitingPayout,
    difference,
    shards,
    bank: bankReserve,
  };
}

/** The API form of a reading (`GET /v1/reserves`). */
export function reservesToJson(reading: ReservesReading) {
  return {
    object: 'reserves' as const,
    supply: formatAmount(reading.supply),
    reserve: formatAmount(reading.reserve),
    matches: reading.difference === 0n,
    difference: formatAmount(reading.difference),
    currency: 'usd' as const,
    in_flight: {
      awaiting_capture: formatAmount(reading.awaitingCapture),
      awaiting_payout: formatAmount(reading.awaitingPayout),
    },
    genesis_supply: formatAmount(reading.genesis),
    shards: reading.shards.map((shard) => ({
      id: shard.id,
      height: shard.height,
      minted: formatAmount(shard.minted),
      burned: formatAmount(shard.burned),
      outstanding: formatAmount(shard.minted - shard.burned),
    })),
    bank: {
      available: formatAmount(reading.bank.available),
      pending_payouts: formatAmount(reading.bank.pendingPayouts),
      as_of: reading.bank.asOf,
    },
  };
}

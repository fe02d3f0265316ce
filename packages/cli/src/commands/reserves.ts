import { ShardpayError } from '@shardpay/crypto';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { formatTable } from './formatTable.ts';
import { gatewayOption, openGateway } from './gatewayContext.ts';

const usage = 'shardpay reserves [--gateway URL] [--json]';

/**
 * `shardpay reserves`: every coin on every shard against the dollars the bank holds for them
 * (`GET /v1/reserves`, public). `matches` is the proof a holder can check: supply, corrected for money
 * between the two legs of a purchase or cash-out, equals the reserve.
 */
export async function runReservesCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  output: Output,
): Promise<number> {
  if (positionals.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const { client } = openGateway(values);
  const reserves = await client.reserves();
  const result = {
    supply: reserves.supply,
    reserve: reserves.reserve,
    matches: reserves.matches,
    difference: reserves.difference,
    currency: reserves.currency,
    genesisSupply: reserves.genesis_supply,
    inFlight: {
      awaitingCapture: reserves.in_flight.awaiting_capture,
      awaitingPayout: reserves.in_flight.awaiting_payout,
    },
    shards: reserves.shards.map((shard) => ({
      id: shard.id,
      height: shard.height,
      minted: shard.minted,
      burned: shard.burned,
      outstanding: shard.outstanding,
    })),
    bank: {
      available: reserves.bank.available,
      pendingPayouts: reserves.bank.pending_payouts,
      asOf: reserves.bank.as_of,
    },
  };
  output.result(result, () =>
    [
      formatTable([
        ['', 'USD'],
        ['supply', `${reserves.supply}  (genesis allocations ${reserves.genesis_supply})`],
        [
          'reserve',
          `${reserves.reserve}  (bank available; payouts pending ${reserves.bank.pending_payouts})`,
        ],
        ['awaiting capture', reserves.in_flight.awaiting_capture],
        ['awaiting payout', reserves.in_flight.awaiting_payout],
        ['difference', reserves.difference],
      ]),
      reserves.matches
        ? 'matches: every coin is backed'
        : `MISMATCH: reserve differs by ${reserves.difference} USD`,
      '',
      formatTable([
        ['shard', 'height', 'minted', 'burned', 'outstanding'],
        ...reserves.shards.map((shard) => [
          String(shard.id),
          shard.height,
          shard.minted,
          shard.burned,
          shard.outstanding,
        ]),
      ]),
    ].join('\n'),
  );
  return 0;
}

export const reservesCommand: Command = {
  summary: 'stablecoin supply on every shard against the bank reserve',
  usage,
  options: { ...gatewayOption },
  run: ({ values, positionals }, output) => runReservesCommand(values, positionals, output),
};

import { ShardpayError } from '@shardpay/crypto';
import type { NetworkConfig } from '@shardpay/protocol';
import { shardOfAddress } from '@shardpay/protocol';
import { createAccountTree } from './AccountTree.ts';
import { shardSupplyCap } from './applyMint.ts';
import { createMemoryShardStore } from './createMemoryShardStore.ts';
import { assertValidAddress, assertValidAmount } from './fieldChecks.ts';
import type { StateDiff } from './StateDiff.ts';
import { StateOverlay } from './StateOverlay.ts';

function configInvalid(reason: string, message: string): ShardpayError {
  return new ShardpayError('NETWORK_CONFIG_INVALID', message, { meta: { reason } });
}

/**
 * The genesis state of one shard (height 0) as a diff to commit on an empty state: the initial balances
 * of addresses living on the shard, in config order (which fixes their leaf indices), counted as minted.
 * Throws NETWORK_CONFIG_INVALID for an unusable config (unknown shard, fee collector elsewhere, an address
 * funded twice) and SUPPLY_OVERFLOW when the shard's genesis supply exceeds its cap (MAX_AMOUNT / shardCount).
 */
export function createGenesisDiff(config: NetworkConfig, shard: number): StateDiff {
  if (!Number.isInteger(shard) || shard < 0 || shard >= config.shardCount) {
    throw configInvalid('unknown_shard', `shard ${shard} is not one of the network's ${config.shardCount}`);
  }
  const collector = config.feeCollectors[shard];
  assertValidAddress(collector, `feeCollectors[${shard}]`);
  if (shardOfAddress(config, collector) !== shard) {
    throw configInvalid('fee_collector_wrong_shard', `the fee collector of shard ${shard} lives elsewhere`);
  }
  const overlay = new StateOverlay(createMemoryShardStore(), createAccountTree(), undefined);
  for (const { address, amount } of config.initialBalances) {
    assertValidAddress(address, 'initialBalances.address');
    assertValidAmount(amount, 'initialBalances.amount');
    if (shardOfAddress(config, address) !== shard) continue;
    if (overlay.balanceOf(address) > 0n) {
      throw configInvalid('duplicate_initial_balance', 'an address is funded twice');
    }
    if (overlay.minted + amount > shardSupplyCap(config.shardCount)) {
      throw new ShardpayError('SUPPLY_OVERFLOW', `the genesis supply of shard ${shard} exceeds its cap`);
    }
    overlay.credit(address, amount);
    overlay.addMinted(amount);
  }
  return overlay.toStateDiff();
}

import { ShardpayError } from '@shardpay/crypto';

/** Validators a devnet may run: validator k's RPC port P+10+k must stay below the first p2p port P+110. */
export const MAX_DEVNET_VALIDATORS = 100;
/** Offsets from the base port P: P itself is the gateway's, P + 1 the bank sandbox's, P + 2 the oracle sandbox's. */
export const BANK_PORT_OFFSET = 1;
export const ORACLE_PORT_OFFSET = 2;
export const RPC_PORT_OFFSET = 10;
export const P2P_PORT_OFFSET = 110;

/** Where one validator of a devnet listens. */
export interface DevnetValidatorPorts {
  shard: number;
  index: number;
  /** k = shard × validatorsPerShard + index. */
  position: number;
  rpcPort: number;
  p2pPort: number;
}

/** Checks the shape of a devnet: whole numbers, at least one of each, and ports that fit below 65536. */
export function assertValidDevnetShape(shards: number, validatorsPerShard: number, basePort: number): void {
  const fail = (field: string, message: string) =>
    new ShardpayError('USAGE', `--${field}: ${message}`, { meta: { field } });
  if (!Number.isSafeInteger(shards) || shards < 1)
    throw fail('shards', 'expected a whole number of at least 1');
  if (!Number.isSafeInteger(validatorsPerShard) || validatorsPerShard < 1) {
    throw fail('validators', 'expected a whole number of at least 1');
  }
  if (shards * validatorsPerShard > MAX_DEVNET_VALIDATORS) {
    throw fail(
      'validators',
      `a devnet runs at most ${MAX_DEVNET_VALIDATORS} validators in all (shards × validators)`,
    );
  }
  const highest = basePort + P2P_PORT_OFFSET + MAX_DEVNET_VALIDATORS - 1;
  if (!Number.isSafeInteger(basePort) || basePort < 1 || highest > 65535) {
    throw fail('port', `expected a port from 1 to ${65535 - P2P_PORT_OFFSET - MAX_DEVNET_VALIDATORS + 1}`);
  }
}

/**
 * The ports of every validator, derived from the base port P alone so that a resumed devnet uses
 * the same ones: validator k listens for RPC on P+10+k and for p2p on P+110+k.
 *
 * @example devnetPorts(8080, 2, 4)[5] // { shard: 1, index: 1, position: 5, rpcPort: 8095, p2pPort: 8195 }
 */
export function devnetPorts(
  basePort: number,
  shards: number,
  validatorsPerShard: number,
): DevnetValidatorPorts[] {
  assertValidDevnetShape(shards, validatorsPerShard, basePort);
  const ports: DevnetValidatorPorts[] = [];
  for (let shard = 0; shard < shards; shard++) {
    for (let index = 0; index < validatorsPerShard; index++) {
      const position = shard * validatorsPerShard + index;
      ports.push({
        shard,
        index,
        position,
        rpcPort: basePort + RPC_PORT_OFFSET + position,
        p2pPort: basePort + P2P_PORT_OFFSET + position,
      });
    }
  }
  return ports;
}

import { ShardpayError } from '@shardpay/crypto';

/** A flag holding a whole number ≥ 1 (`--shards 2`); undefined when left out; USAGE naming the flag otherwise. */
export function parseCountFlag(value: string | boolean | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,5}$/.test(value)) {
    throw new ShardpayError(
      'USAGE',
      `--${flag} takes a whole number of at least 1, not ${JSON.stringify(value)}`,
      {
        meta: { flag },
      },
    );
  }
  return Number(value);
}

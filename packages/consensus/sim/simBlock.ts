import { concatBytes, sha256 } from '@shardpay/crypto';
import type { Hash } from '@shardpay/protocol';

/**
 * The simulated application's block: small, but enough to tell blocks apart and to judge them.
 * `invalid` stands for any rule a real block could break (a Byzantine proposer sets it).
 */
export interface SimBlock {
  height: bigint;
  round: number;
  proposerIndex: number;
  payload: Uint8Array;
  invalid: boolean;
}

/** The block's id: sha256 of a fixed layout of its fields. */
export function simBlockHash(block: SimBlock): Hash {
  const header = new Uint8Array(8 + 4 + 4 + 1);
  const view = new DataView(header.buffer);
  view.setBigUint64(0, block.height);
  view.setUint32(8, block.round);
  view.setUint32(12, block.proposerIndex);
  view.setUint8(16, block.invalid ? 1 : 0);
  return sha256(concatBytes(header, block.payload));
}

/** The honest application's judgement: a block is valid at `height` if it is for that height and breaks no rule. */
export function isSimBlockValid(block: SimBlock, height: bigint): boolean {
  return block.height === height && !block.invalid;
}

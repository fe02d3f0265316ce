import { HASH_BYTES } from '../codec/limits.ts';
import type { BlockHeader } from '../types.ts';
import { MAX_CHAIN_ID_BYTES } from '../types.ts';
import {
  childPath,
  hexToJson,
  readHex,
  readInteger,
  readObject,
  readString,
  readU64String,
  u64ToJson,
} from './jsonFields.ts';

/** JSON form of a block header: height and timestamp as decimal strings, hashes as hex. */
export interface BlockHeaderJson {
  chainId: string;
  shard: number;
  height: string;
  timestampMs: string;
  parentHash: string;
  proposerIndex: number;
  txRoot: string;
  incomingRoot: string;
  stateRoot: string;
  receiptsRoot: string;
  lastCommitHash: string;
}

const headerKeys = [
  'chainId',
  'shard',
  'height',
  'timestampMs',
  'parentHash',
  'proposerIndex',
  'txRoot',
  'incomingRoot',
  'stateRoot',
  'receiptsRoot',
  'lastCommitHash',
] as const;

/** The JSON form of a block header. */
export function blockHeaderToJson(header: BlockHeader): BlockHeaderJson {
  return {
    chainId: header.chainId,
    shard: header.shard,
    height: u64ToJson(header.height),
    timestampMs: u64ToJson(header.timestampMs),
    parentHash: hexToJson(header.parentHash),
    proposerIndex: header.proposerIndex,
    txRoot: hexToJson(header.txRoot),
    incomingRoot: hexToJson(header.incomingRoot),
    stateRoot: hexToJson(header.stateRoot),
    receiptsRoot: hexToJson(header.receiptsRoot),
    lastCommitHash: hexToJson(header.lastCommitHash),
  };
}

/** Reads a block header's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function blockHeaderFromJson(json: unknown, path = ''): BlockHeader {
  const o = readObject(json, path, headerKeys);
  const at = (key: string) => childPath(path, key);
  return {
    chainId: readString(o.chainId, at('chainId'), MAX_CHAIN_ID_BYTES),
    shard: readInteger(o.shard, at('shard'), 0, 0xffff),
    height: readU64String(o.height, at('height')),
    timestampMs: readU64String(o.timestampMs, at('timestampMs')),
    parentHash: readHex(o.parentHash, at('parentHash'), HASH_BYTES),
    proposerIndex: readInteger(o.proposerIndex, at('proposerIndex'), 0, 0xffff),
    txRoot: readHex(o.txRoot, at('txRoot'), HASH_BYTES),
    incomingRoot: readHex(o.incomingRoot, at('incomingRoot'), HASH_BYTES),
    stateRoot: readHex(o.stateRoot, at('stateRoot'), HASH_BYTES),
    receiptsRoot: readHex(o.receiptsRoot, at('receiptsRoot'), HASH_BYTES),
    lastCommitHash: readHex(o.lastCommitHash, at('lastCommitHash'), HASH_BYTES),
  };
}

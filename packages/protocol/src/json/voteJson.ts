import { HASH_BYTES, SIGNATURE_BYTES } from '../codec/limits.ts';
import type { Vote, VoteBody } from '../types.ts';
import { MAX_CHAIN_ID_BYTES } from '../types.ts';
import {
  childPath,
  hexToJson,
  readHex,
  readInteger,
  readLiteral,
  readNullable,
  readObject,
  readString,
  readU64String,
  u64ToJson,
} from './jsonFields.ts';

/** JSON form of a vote body: height as a decimal string, a nil vote's blockHash as null. */
export interface VoteBodyJson {
  chainId: string;
  shard: number;
  height: string;
  round: number;
  type: VoteBody['type'];
  blockHash: string | null;
  validatorIndex: number;
}

/** JSON form of a signed vote. */
export interface VoteJson extends VoteBodyJson {
  signature: string;
}

const bodyKeys = ['chainId', 'shard', 'height', 'round', 'type', 'blockHash', 'validatorIndex'] as const;

/** The JSON form of a vote body (a signature on the input is left out). */
export function voteBodyToJson(body: VoteBody): VoteBodyJson {
  return {
    chainId: body.chainId,
    shard: body.shard,
    height: u64ToJson(body.height),
    round: body.round,
    type: body.type,
    blockHash: body.blockHash === null ? null : hexToJson(body.blockHash),
    validatorIndex: body.validatorIndex,
  };
}

function readBodyFields(o: Record<(typeof bodyKeys)[number], unknown>, path: string): VoteBody {
  const at = (key: string) => childPath(path, key);
  return {
    chainId: readString(o.chainId, at('chainId'), MAX_CHAIN_ID_BYTES),
    shard: readInteger(o.shard, at('shard'), 0, 0xffff),
    height: readU64String(o.height, at('height')),
    round: readInteger(o.round, at('round'), 0, 0xffff_ffff),
    type: readLiteral(o.type, at('type'), ['prevote', 'precommit']),
    blockHash: readNullable(o.blockHash, at('blockHash'), (value, p) => readHex(value, p, HASH_BYTES)),
    validatorIndex: readInteger(o.validatorIndex, at('validatorIndex'), 0, 0xffff),
  };
}

/** Reads a vote body's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function voteBodyFromJson(json: unknown, path = ''): VoteBody {
  return readBodyFields(readObject(json, path, bodyKeys), path);
}

/** The JSON form of a signed vote. */
export function voteToJson(vote: Vote): VoteJson {
  return { ...voteBodyToJson(vote), signature: hexToJson(vote.signature) };
}

/** Reads a signed vote's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function voteFromJson(json: unknown, path = ''): Vote {
  const o = readObject(json, path, [...bodyKeys, 'signature']);
  return {
    ...readBodyFields(o, path),
    signature: readHex(o.signature, childPath(path, 'signature'), SIGNATURE_BYTES),
  };
}

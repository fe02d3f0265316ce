import { HASH_BYTES, SIGNATURE_BYTES } from '../codec/limits.ts';
import type { Proposal, ProposalBody } from '../types.ts';
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

/** JSON form of a proposal body: height as a decimal string, validRound a number (-1 for none). */
export interface ProposalBodyJson {
  chainId: string;
  shard: number;
  height: string;
  round: number;
  validRound: number;
  blockHash: string;
  proposerIndex: number;
}

/** JSON form of a signed proposal. */
export interface ProposalJson extends ProposalBodyJson {
  signature: string;
}

const bodyKeys = ['chainId', 'shard', 'height', 'round', 'validRound', 'blockHash', 'proposerIndex'] as const;

/** The JSON form of a proposal body (a signature on the input is left out). */
export function proposalBodyToJson(body: ProposalBody): ProposalBodyJson {
  return {
    chainId: body.chainId,
    shard: body.shard,
    height: u64ToJson(body.height),
    round: body.round,
    validRound: body.validRound,
    blockHash: hexToJson(body.blockHash),
    proposerIndex: body.proposerIndex,
  };
}

function readBodyFields(o: Record<(typeof bodyKeys)[number], unknown>, path: string): ProposalBody {
  const at = (key: string) => childPath(path, key);
  return {
    chainId: readString(o.chainId, at('chainId'), MAX_CHAIN_ID_BYTES),
    shard: readInteger(o.shard, at('shard'), 0, 0xffff),
    height: readU64String(o.height, at('height')),
    round: readInteger(o.round, at('round'), 0, 0xffff_ffff),
    validRound: readInteger(o.validRound, at('validRound'), -1, 0xffff_ffff),
    blockHash: readHex(o.blockHash, at('blockHash'), HASH_BYTES),
    proposerIndex: readInteger(o.proposerIndex, at('proposerIndex'), 0, 0xffff),
  };
}

/** Reads a proposal body's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function proposalBodyFromJson(json: unknown, path = ''): ProposalBody {
  return readBodyFields(readObject(json, path, bodyKeys), path);
}

/** The JSON form of a signed proposal. */
export function proposalToJson(proposal: Proposal): ProposalJson {
  return { ...proposalBodyToJson(proposal), signature: hexToJson(proposal.signature) };
}

/** Reads a signed proposal's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function proposalFromJson(json: unknown, path = ''): Proposal {
  const o = readObject(json, path, [...bodyKeys, 'signature']);
  return {
    ...readBodyFields(o, path),
    signature: readHex(o.signature, childPath(path, 'signature'), SIGNATURE_BYTES),
  };
}

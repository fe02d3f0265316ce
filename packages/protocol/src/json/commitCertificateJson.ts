import { HASH_BYTES, MAX_CERTIFICATE_SIGNATURES, SIGNATURE_BYTES } from '../codec/limits.ts';
import type { CommitCertificate } from '../types.ts';
import { MAX_CHAIN_ID_BYTES } from '../types.ts';
import {
  childPath,
  hexToJson,
  readArray,
  readHex,
  readInteger,
  readObject,
  readString,
  readU64String,
  u64ToJson,
} from './jsonFields.ts';

/** JSON form of a commit certificate: height as a decimal string, hashes and signatures as hex. */
export interface CommitCertificateJson {
  chainId: string;
  shard: number;
  height: string;
  round: number;
  blockHash: string;
  signatures: Array<{ validatorIndex: number; signature: string }>;
}

/** The JSON form of a commit certificate. */
export function commitCertificateToJson(cert: CommitCertificate): CommitCertificateJson {
  return {
    chainId: cert.chainId,
    shard: cert.shard,
    height: u64ToJson(cert.height),
    round: cert.round,
    blockHash: hexToJson(cert.blockHash),
    signatures: cert.signatures.map(({ validatorIndex, signature }) => ({
      validatorIndex,
      signature: hexToJson(signature),
    })),
  };
}

/** Reads a commit certificate's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function commitCertificateFromJson(json: unknown, path = ''): CommitCertificate {
  const o = readObject(json, path, ['chainId', 'shard', 'height', 'round', 'blockHash', 'signatures']);
  const at = (key: string) => childPath(path, key);
  return {
    chainId: readString(o.chainId, at('chainId'), MAX_CHAIN_ID_BYTES),
    shard: readInteger(o.shard, at('shard'), 0, 0xffff),
    height: readU64String(o.height, at('height')),
    round: readInteger(o.round, at('round'), 0, 0xffff_ffff),
    blockHash: readHex(o.blockHash, at('blockHash'), HASH_BYTES),
    signatures: readArray(o.signatures, at('signatures'), MAX_CERTIFICATE_SIGNATURES, (value, p) => {
      const entry = readObject(value, p, ['validatorIndex', 'signature']);
      return {
        validatorIndex: readInteger(entry.validatorIndex, childPath(p, 'validatorIndex'), 0, 0xffff),
        signature: readHex(entry.signature, childPath(p, 'signature'), SIGNATURE_BYTES),
      };
    }),
  };
}

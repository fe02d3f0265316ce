import { equalBytes, isShardpayError, ShardpayError } from '@shardpay/crypto';
import { HASH_BYTES, SIGNATURE_BYTES } from './codec/limits.ts';
import { quorumSize } from './network.ts';
import { isVoteSignatureValid } from './signing.ts';
import type { CommitCertificate, Committee, Hash } from './types.ts';

/** What the certificate must prove: a block of this chain and shard (and height, hash if known). */
export interface ExpectedCommit {
  chainId: string;
  shard: number;
  height?: bigint;
  blockHash?: Hash;
}

/** Why a certificate was refused; `meta.reason` of CERTIFICATE_INVALID. */
export type CertificateInvalidReason =
  | 'malformed'
  | 'wrong_committee'
  | 'wrong_chain'
  | 'wrong_shard'
  | 'wrong_height'
  | 'wrong_block_hash'
  | 'unsorted_signatures'
  | 'duplicate_signer'
  | 'unknown_validator'
  | 'insufficient_signatures'
  | 'bad_signature';

function certificateInvalid(
  reason: CertificateInvalidReason,
  message: string,
  meta: Record<string, unknown> = {},
): ShardpayError {
  return new ShardpayError('CERTIFICATE_INVALID', message, { meta: { reason, ...meta } });
}

/**
 * Throws CERTIFICATE_INVALID (meta.reason) unless `cert` holds valid precommit signatures from a
 * quorum of `committee` for `expected`. Each signature is over the precommit VoteBody
 * {chainId, shard, height, round, type: 'precommit', blockHash, validatorIndex}. Cheap checks run
 * first, so a forged certificate costs no signature verification unless it is well-formed.
 */
export function verifyCommitCertificate(
  cert: CommitCertificate,
  committee: Committee,
  expected: ExpectedCommit,
): void {
  if (
    typeof cert !== 'object' ||
    cert === null ||
    !(cert.blockHash instanceof Uint8Array) ||
    cert.blockHash.length !== HASH_BYTES ||
    !Array.isArray(cert.signatures)
  ) {
    throw certificateInvalid('malformed', 'the certificate is malformed');
  }
  if (committee.shard !== expected.shard) {
    throw certificateInvalid(
      'wrong_committee',
      `the committee is shard ${committee.shard}'s, not ${expected.shard}'s`,
    );
  }
  if (cert.chainId !== expected.chainId) {
    throw certificateInvalid(
      'wrong_chain',
      `certificate for chain ${cert.chainId}, expected ${expected.chainId}`,
    );
  }
  if (cert.shard !== expected.shard) {
    throw certificateInvalid(
      'wrong_shard',
      `certificate for shard ${cert.shard}, expected ${expected.shard}`,
    );
  }
  if (expected.height !== undefined && cert.height !== expected.height) {
    throw certificateInvalid(
      'wrong_height',
      `certificate for height ${cert.height}, expected ${expected.height}`,
    );
  }
  if (expected.blockHash !== undefined && !equalBytes(cert.blockHash, expected.blockHash)) {
    throw certificateInvalid('wrong_block_hash', 'the certificate is for another block');
  }

  const n = committee.validators.length;
  let previousIndex = -1;
  for (const [position, entry] of cert.signatures.entries()) {
    const { validatorIndex } = entry;
    if (!Number.isInteger(validatorIndex) || validatorIndex < 0 || validatorIndex >= n) {
      throw certificateInvalid('unknown_validator', `no validator ${validatorIndex} in a committee of ${n}`, {
        validatorIndex,
        position,
      });
    }
    if (validatorIndex === previousIndex) {
      throw certificateInvalid('duplicate_signer', `validator ${validatorIndex} signed twice`, {
        validatorIndex,
        position,
      });
    }
    if (validatorIndex < previousIndex) {
      throw certificateInvalid('unsorted_signatures', 'signatures are not sorted by validator index', {
        validatorIndex,
        position,
      });
    }
    previousIndex = validatorIndex;
  }

  const needed = quorumSize(n);
  if (cert.signatures.length < needed) {
    throw certificateInvalid(
      'insufficient_signatures',
      `${cert.signatures.length} signatures, a quorum is ${needed}`,
      {
        count: cert.signatures.length,
        needed,
      },
    );
  }

  for (const [position, { validatorIndex, signature }] of cert.signatures.entries()) {
    const validator = committee.validators[validatorIndex];
    const isValid =
      validator !== undefined &&
      signature instanceof Uint8Array &&
      signature.length === SIGNATURE_BYTES &&
      isVoteSignatureValid(
        {
          chainId: cert.chainId,
          shard: cert.shard,
          height: cert.height,
          round: cert.round,
          type: 'precommit',
          blockHash: cert.blockHash,
          validatorIndex,
          signature,
        },
        validator.publicKey,
      );
    if (!isValid) {
      throw certificateInvalid('bad_signature', `validator ${validatorIndex}'s signature does not verify`, {
        validatorIndex,
        position,
      });
    }
  }
}

/** True when `verifyCommitCertificate` accepts the certificate. */
export function isCommitCertificateValid(
  cert: CommitCertificate,
  committee: Committee,
  expected: ExpectedCommit,
): boolean {
  try {
    verifyCommitCertificate(cert, committee, expected);
    return true;
  } catch (error) {
    if (isShardpayError(error, 'CERTIFICATE_INVALID')) return false;
    throw error;
  }
}

import { equalBytes, ShardpayError } from '@shardpay/crypto';
import type { CommitCertificate, Hash, Vote } from '@shardpay/protocol';

export interface BuildCommitCertificateParameters {
  chainId: string;
  shard: number;
  height: bigint;
  round: number;
  blockHash: Hash;
  /** Precommits for `blockHash` at (height, round), at most one per validator, in any order. */
  precommits: readonly Vote[];
}

/**
 * The commit certificate of a decision: the precommit signatures for one hash at one height and
 * round, sorted by validator index. The caller supplies at least a quorum; protocol's
 * `verifyCommitCertificate` checks the result.
 */
export function buildCommitCertificate(parameters: BuildCommitCertificateParameters): CommitCertificate {
  const { chainId, shard, height, round, blockHash, precommits } = parameters;
  const seen = new Set<number>();
  for (const vote of precommits) {
    const matches =
      vote.type === 'precommit' &&
      vote.chainId === chainId &&
      vote.shard === shard &&
      vote.height === height &&
      vote.round === round &&
      vote.blockHash !== null &&
      equalBytes(vote.blockHash, blockHash);
    if (!matches || seen.has(vote.validatorIndex)) {
      throw new ShardpayError(
        'CONSENSUS_STATE_INVALID',
        'a certificate takes one precommit per validator for its block',
        {
          meta: {
            reason: matches ? 'duplicate_signer' : 'foreign_vote',
            validatorIndex: vote.validatorIndex,
          },
        },
      );
    }
    seen.add(vote.validatorIndex);
  }
  const signatures = [...precommits]
    .sort((a, b) => a.validatorIndex - b.validatorIndex)
    .map((vote) => ({ validatorIndex: vote.validatorIndex, signature: vote.signature }));
  return { chainId, shard, height, round, blockHash, signatures };
}

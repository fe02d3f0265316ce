import { bytesToHex, equalBytes, isShardpayError } from '@shardpay/crypto';
import {
  type BlockHeader,
  blockHeaderFromJson,
  type CommitCertificate,
  commitCertificateFromJson,
  committeeOf,
  headerId,
  type NetworkConfig,
  quorumSize,
  verifyCommitCertificate,
} from '@shardpay/protocol';

/** The checks a light client makes on a proof answer, in the order it makes them. */
export type ProofCheckName = 'answer' | 'certificate' | 'header' | 'proof';

/** One check's outcome, with a sentence saying what was checked and why it failed. */
export interface ProofCheck {
  name: ProofCheckName;
  /** What the check establishes, e.g. "Signed by a quorum of shard 0's genesis committee". */
  label: string;
  passed: boolean;
  /** On success, what was found (signers, heights); on failure, why. */
  detail: string;
}

/** The outcome of verifying one proof answer: valid only when every check passed. */
export interface ProofVerification {
  valid: boolean;
  checks: ProofCheck[];
  /** The first failed check's detail; null when valid. */
  reason: string | null;
}

/** What both kinds of answer carry: the block's header and certificate, and the shard and height claimed. */
export interface CertifiedAnswer {
  shard: number;
  height: string;
  header: unknown;
  certificate: unknown;
}

/** The decoded header and certificate of an answer that parsed. */
export interface DecodedCommit {
  shard: number;
  height: bigint;
  header: BlockHeader;
  certificate: CommitCertificate;
}

export function messageOf(error: unknown): string {
  if (isShardpayError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Reads the shard, height, header and certificate of an answer; throws with a sentence if malformed. */
export function decodeCommit(answer: CertifiedAnswer): DecodedCommit {
  if (typeof answer !== 'object' || answer === null) throw new Error('the answer is not an object');
  if (!Number.isInteger(answer.shard) || answer.shard < 0) throw new Error('the answer has no valid shard');
  if (typeof answer.height !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(answer.height)) {
    throw new Error('the answer has no valid height');
  }
  return {
    shard: answer.shard,
    height: BigInt(answer.height),
    header: blockHeaderFromJson(answer.header, 'header'),
    certificate: commitCertificateFromJson(answer.certificate, 'certificate'),
  };
}

/**
 * The certificate check: precommit signatures from a quorum of the shard's committee in the genesis
 * `config` (not a committee the gateway names), for this chain, shard and height.
 */
export function checkCertificate(config: NetworkConfig, commit: DecodedCommit): ProofCheck {
  const label = `Signed by a quorum of shard ${commit.shard}'s genesis committee`;
  try {
    const committee = committeeOf(config, commit.shard);
    verifyCommitCertificate(commit.certificate, committee, {
      chainId: config.chainId,
      shard: commit.shard,
      height: commit.height,
    });
    const size = committee.validators.length;
    return {
      name: 'certificate',
      label,
      passed: true,
      detail: `${commit.certificate.signatures.length} of ${size} validators signed block ${commit.height} (a quorum is ${quorumSize(size)}).`,
    };
  } catch (error) {
    return { name: 'certificate', label, passed: false, detail: `${messageOf(error)}.` };
  }
}

/** The header check: the header is the block the certificate signed (its hash), of this chain, shard and height. */
export function checkHeader(config: NetworkConfig, commit: DecodedCommit): ProofCheck {
  const label = 'The header is the certified block';
  const { header, certificate } = commit;
  const fail = (detail: string): ProofCheck => ({ name: 'header', label, passed: false, detail });
  if (header.chainId !== config.chainId) return fail(`the header is of chain ${header.chainId}.`);
  if (header.shard !== commit.shard)
    return fail(`the header is of shard ${header.shard}, not ${commit.shard}.`);
  if (header.height !== commit.height) {
    return fail(`the header is at height ${header.height}, not ${commit.height}.`);
  }
  const hash = headerId(header);
  if (!equalBytes(hash, certificate.blockHash)) {
    return fail(
      `the header hashes to ${bytesToHex(hash).slice(0, 16)}…, the certificate signed ${bytesToHex(certificate.blockHash).slice(0, 16)}….`,
    );
  }
  return {
    name: 'header',
    label,
    passed: true,
    detail: `The header hashes to ${bytesToHex(hash).slice(0, 16)}…, the block the certificate signed.`,
  };
}

/** A check that could not run because an earlier one found the answer unusable. */
export function notChecked(name: ProofCheckName, label: string): ProofCheck {
  return { name, label, passed: false, detail: 'Not checked: the answer is malformed.' };
}

/** Combines checks into the outcome. */
export function verificationOf(checks: ProofCheck[]): ProofVerification {
  const failed = checks.find((check) => !check.passed);
  return { valid: failed === undefined, checks, reason: failed === undefined ? null : failed.detail };
}

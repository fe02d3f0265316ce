import { bytesToHex } from '@shardpay/crypto';
import type { DuplicateVoteEvidence, Hash } from '@shardpay/protocol';
import { encodeProposal, encodeVote } from '@shardpay/protocol';
import type { WalRecord } from '../src/index.ts';
import { walRecordStep } from '../src/index.ts';
import type { SimBlock } from './simBlock.ts';
import { isSimBlockValid } from './simBlock.ts';

/**
 * The simulator's safety checks, fed by honest validators only:
 * - agreement: no two different blocks committed at one height;
 * - validity: only blocks the honest application judges valid are committed;
 * - no honest validator signs two different messages for one (height, round, step), across restarts;
 * - no evidence is ever reported against an honest validator.
 */
export interface SafetyChecker {
  recordCommit(
    node: number,
    height: bigint,
    blockHash: Hash,
    block: SimBlock | undefined,
    timeMs: number,
  ): void;
  recordSigned(validatorIndex: number, record: WalRecord): void;
  recordEvidence(
    reporter: number,
    evidence: DuplicateVoteEvidence,
    honestValidators: ReadonlySet<number>,
  ): void;
  /** Any other broken invariant (e.g. an honest validator committing with an invalid certificate). */
  recordViolation(description: string): void;
  readonly violations: readonly string[];
}

/** A checker with no observations yet. */
export function createSafetyChecker(): SafetyChecker {
  const violations: string[] = [];
  const committed = new Map<bigint, { hash: string; node: number }>();
  const signed = new Map<string, string>();
  return {
    violations,
    recordCommit(node, height, blockHash, block, timeMs) {
      const hash = bytesToHex(blockHash);
      const first = committed.get(height);
      if (first === undefined) committed.set(height, { hash, node });
      else if (first.hash !== hash) {
        violations.push(
          `agreement: at height ${height} node ${first.node} committed ${first.hash.slice(0, 12)} but node ${node} committed ${hash.slice(0, 12)} (t=${timeMs}ms)`,
        );
      }
      if (block === undefined || !isSimBlockValid(block, height)) {
        violations.push(
          `validity: node ${node} committed an invalid or unknown block ${hash.slice(0, 12)} at height ${height}`,
        );
      }
    },
    recordSigned(validatorIndex, record) {
      const { height, round, step } = walRecordStep(record);
      const key = `${validatorIndex}/${height}/${round}/${step}`;
      const bytes = bytesToHex(
        record.type === 'proposal' ? encodeProposal(record.proposal) : encodeVote(record.vote),
      );
      const previous = signed.get(key);
      if (previous === undefined) signed.set(key, bytes);
      else if (previous !== bytes) {
        violations.push(
          `double signing: honest validator ${validatorIndex} signed two messages for height ${height} round ${round} ${step}`,
        );
      }
    },
    recordViolation(description) {
      violations.push(description);
    },
    recordEvidence(reporter, evidence, honestValidators) {
      const accused = evidence.voteA.validatorIndex;
      if (honestValidators.has(accused)) {
        violations.push(`false evidence: node ${reporter} reported honest validator ${accused}`);
      }
    },
  };
}

import { bytesToHex } from '@shardpay/crypto';
import { verifyReceiptInclusion } from '@shardpay/ledger';
import {
  type MerkleProof,
  merkleProofFromJson,
  type NetworkConfig,
  type Receipt,
  receiptFromJson,
  receiptId,
} from '@shardpay/protocol';
import type { GatewayReceiptProof } from './explorerTypes.ts';
import {
  checkCertificate,
  checkHeader,
  type DecodedCommit,
  decodeCommit,
  messageOf,
  notChecked,
  type ProofCheck,
  type ProofVerification,
  verificationOf,
} from './proofVerification.ts';

const ANSWER_LABEL = 'The answer is well-formed';
const PROOF_LABEL = "The receipt is in the header's receipts root";

interface DecodedReceipt {
  commit: DecodedCommit;
  receipt: Receipt;
  proof: MerkleProof;
}

function decodeAnswer(config: NetworkConfig, answer: GatewayReceiptProof): DecodedReceipt {
  const commit = decodeCommit(answer);
  const receipt = receiptFromJson(answer.receipt, { addressPrefix: config.addressPrefix }, 'receipt');
  const proof = merkleProofFromJson(answer.proof, 'proof');
  if (receipt.chainId !== config.chainId) throw new Error(`the receipt is of chain ${receipt.chainId}`);
  if (receipt.sourceShard !== commit.shard) {
    throw new Error(
      `the receipt comes from shard ${receipt.sourceShard}, the answer is shard ${commit.shard}'s`,
    );
  }
  if (receipt.sourceHeight !== commit.height) {
    throw new Error(
      `the receipt was emitted at height ${receipt.sourceHeight}, the answer is height ${commit.height}`,
    );
  }
  if (bytesToHex(receiptId(receipt)) !== String(answer.receipt_id).toLowerCase()) {
    throw new Error('the receipt does not hash to the receipt id asked for');
  }
  return { commit, receipt, proof };
}

/**
 * What a light client checks of `GET /v1/receipts/:shard/:receipt_id` with nothing but the genesis
 * `config`: (1) the certificate is signed by a quorum of the source shard's genesis committee for
 * that chain, shard and height; (2) the header hashes to the certified block; (3) the Merkle proof
 * puts this receipt (hashed here, so its amount and recipient are covered) under the header's
 * receipts root. This is the check the target shard itself makes before crediting. Never throws.
 */
export function verifyReceiptProofResponse(
  answer: GatewayReceiptProof,
  config: NetworkConfig,
): ProofVerification {
  let decoded: DecodedReceipt;
  try {
    decoded = decodeAnswer(config, answer);
  } catch (error) {
    return verificationOf([
      { name: 'answer', label: ANSWER_LABEL, passed: false, detail: `${messageOf(error)}.` },
      notChecked('certificate', 'Signed by a quorum of the genesis committee'),
      notChecked('header', 'The header is the certified block'),
      notChecked('proof', PROOF_LABEL),
    ]);
  }
  const { commit, receipt, proof } = decoded;
  const included = verifyReceiptInclusion(commit.header.receiptsRoot, receipt, proof);
  const proofCheck: ProofCheck = included
    ? {
        name: 'proof',
        label: PROOF_LABEL,
        passed: true,
        detail: `Receipt ${receipt.index + 1} of ${proof.leafCount} of block ${commit.height} (${proof.siblings.length} Merkle steps).`,
      }
    : {
        name: 'proof',
        label: PROOF_LABEL,
        passed: false,
        detail:
          "the Merkle proof does not lead to the header's receipts root: the receipt or proof was changed.",
      };
  return verificationOf([
    {
      name: 'answer',
      label: ANSWER_LABEL,
      passed: true,
      detail: `Shard ${commit.shard} → shard ${receipt.targetShard}, height ${commit.height}.`,
    },
    checkCertificate(config, commit),
    checkHeader(config, commit),
    proofCheck,
  ]);
}

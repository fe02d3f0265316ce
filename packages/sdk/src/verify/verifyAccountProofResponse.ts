import { decodeAddress, hexToBytes } from '@shardpay/crypto';
import { decodeAccountProof, verifyAccountProof } from '@shardpay/ledger';
import { type NetworkConfig, parseAmount, shardOfAddress } from '@shardpay/protocol';
import type { GatewayAccountProof } from './explorerTypes.ts';
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
const PROOF_LABEL = "The balance and nonce are in the header's state root";

interface DecodedAccount {
  commit: DecodedCommit;
  address: Uint8Array;
  balance: bigint;
  nonce: bigint;
  proof: ReturnType<typeof decodeAccountProof>;
}

function decodeAnswer(config: NetworkConfig, answer: GatewayAccountProof): DecodedAccount {
  const commit = decodeCommit(answer);
  const address = decodeAddress(answer.address, config.addressPrefix);
  const home = shardOfAddress(config, address);
  if (home !== commit.shard)
    throw new Error(`the address lives on shard ${home}, the answer is shard ${commit.shard}'s`);
  if (typeof answer.nonce !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(answer.nonce)) {
    throw new Error('the answer has no valid nonce');
  }
  return {
    commit,
    address,
    balance: parseAmount(answer.balance),
    nonce: BigInt(answer.nonce),
    proof: decodeAccountProof(hexToBytes(answer.proof)),
  };
}

/**
 * What a light client checks of `GET /v1/accounts/:address/proof` before believing a balance, with
 * nothing but the genesis `config`: (1) the certificate carries valid signatures of a quorum of the
 * shard's genesis committee for that chain, shard and height; (2) the header hashes to the block the
 * certificate signed; (3) the account proof puts exactly this balance and nonce under the header's
 * state root. A gateway (or anything between it and the browser) that changed a number fails one.
 * Never throws: a malformed answer is a failed check.
 */
export function verifyAccountProofResponse(
  answer: GatewayAccountProof,
  config: NetworkConfig,
): ProofVerification {
  let decoded: DecodedAccount;
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
  const { commit } = decoded;
  const proven = verifyAccountProof(
    commit.header.stateRoot,
    decoded.address,
    { balance: decoded.balance, nonce: decoded.nonce },
    decoded.proof,
  );
  const proofCheck: ProofCheck = proven
    ? {
        name: 'proof',
        label: PROOF_LABEL,
        passed: true,
        detail: `Balance ${answer.balance} and nonce ${answer.nonce} are proven at height ${commit.height}.`,
      }
    : {
        name: 'proof',
        label: PROOF_LABEL,
        passed: false,
        detail:
          "the account proof does not lead to the header's state root: the balance, nonce or proof was changed.",
      };
  return verificationOf([
    {
      name: 'answer',
      label: ANSWER_LABEL,
      passed: true,
      detail: `Shard ${commit.shard}, height ${commit.height}.`,
    },
    checkCertificate(config, commit),
    checkHeader(config, commit),
    proofCheck,
  ]);
}

import {
  addressFromPublicKey,
  bytesToHex,
  domainHash,
  equalBytes,
  publicKeyFromPrivateKey,
  ShardpayError,
  signHash,
  verifyHash,
} from '@shardpay/crypto';
import { encodeProposalBody } from './codec/proposalCodec.ts';
import { encodeTransactionBody } from './codec/transactionCodec.ts';
import { encodeVoteBody } from './codec/voteCodec.ts';
import type {
  Address,
  Hash,
  Proposal,
  ProposalBody,
  PublicKey,
  Transaction,
  TransactionBody,
  Vote,
  VoteBody,
} from './types.ts';

/** Domain tags: a signature over one kind of message can never be replayed as another. */
export const SigningDomain = {
  transaction: 'shardpay/tx/v1',
  vote: 'shardpay/vote/v1',
  proposal: 'shardpay/proposal/v1',
} as const;

/** What a sender signs: domainHash('shardpay/tx/v1', encodeTransactionBody(body)). */
export function transactionSigningHash(body: TransactionBody): Hash {
  return domainHash(SigningDomain.transaction, encodeTransactionBody(body));
}

/** What a validator signs for a vote: domainHash('shardpay/vote/v1', encodeVoteBody(body)). */
export function voteSigningHash(body: VoteBody): Hash {
  return domainHash(SigningDomain.vote, encodeVoteBody(body));
}

/** What a proposer signs: domainHash('shardpay/proposal/v1', encodeProposalBody(body)). */
export function proposalSigningHash(body: ProposalBody): Hash {
  return domainHash(SigningDomain.proposal, encodeProposalBody(body));
}

/** Copies only the body fields, so a stale `signature` on the input never survives. */
function transactionBodyOf(tx: TransactionBody): TransactionBody {
  const { chainId, shard, nonce, fee, expiryHeight, publicKey, operation } = tx;
  return { chainId, shard, nonce, fee, expiryHeight, publicKey, operation };
}

function voteBodyOf(vote: VoteBody): VoteBody {
  const { chainId, shard, height, round, type, blockHash, validatorIndex } = vote;
  return { chainId, shard, height, round, type, blockHash, validatorIndex };
}

function proposalBodyOf(proposal: ProposalBody): ProposalBody {
  const { chainId, shard, height, round, validRound, blockHash, proposerIndex } = proposal;
  return { chainId, shard, height, round, validRound, blockHash, proposerIndex };
}

/** True when `signature` verifies; malformed keys or signatures count as invalid, not as errors. */
function isSignatureValid(signature: Uint8Array, hash: () => Hash, publicKey: PublicKey): boolean {
  try {
    return verifyHash(signature, hash(), publicKey);
  } catch {
    return false;
  }
}

/**
 * Signs a transaction body. `body.publicKey` must be the key of `privateKey` (checked, since a
 * mismatch would produce a transaction that can never verify).
 */
export function signTransaction(body: TransactionBody, privateKey: Uint8Array): Transaction {
  const unsigned = transactionBodyOf(body);
  const publicKey = publicKeyFromPrivateKey(privateKey);
  if (!equalBytes(publicKey, unsigned.publicKey)) {
    throw new ShardpayError('KEY_MISMATCH', 'the private key does not match the transaction public key', {
      meta: { reason: 'public_key_mismatch' },
    });
  }
  return { ...unsigned, signature: signHash(transactionSigningHash(unsigned), privateKey) };
}

/** True when the transaction's signature verifies against its own public key. */
export function isTransactionSignatureValid(tx: Transaction): boolean {
  return isSignatureValid(tx.signature, () => transactionSigningHash(tx), tx.publicKey);
}

/**
 * Senders by public key (hex), for keys already validated. Deriving an address validates the key
 * (a point decompression) and hashes it, and a validator derives the sender of every transaction
 * several times (admission, the proposal, the commit); active senders are few next to transactions.
 */
const knownSenders = new Map<string, Address>();
const MAX_KNOWN_SENDERS = 65_536;

/** The sender of a transaction: the address of its public key. */
export function transactionSender(tx: TransactionBody): Address {
  const { publicKey } = tx;
  if (!(publicKey instanceof Uint8Array)) return addressFromPublicKey(publicKey);
  const key = bytesToHex(publicKey);
  let address = knownSenders.get(key);
  if (address === undefined) {
    address = addressFromPublicKey(publicKey);
    if (knownSenders.size >= MAX_KNOWN_SENDERS) knownSenders.clear();
    knownSenders.set(key, address);
  }
  return address.slice();
}

/** Signs a vote body with a validator's key. */
export function signVote(body: VoteBody, privateKey: Uint8Array): Vote {
  const unsigned = voteBodyOf(body);
  return { ...unsigned, signature: signHash(voteSigningHash(unsigned), privateKey) };
}

/** True when the vote's signature verifies against `publicKey` (the validator at its index). */
export function isVoteSignatureValid(vote: Vote, publicKey: PublicKey): boolean {
  return isSignatureValid(vote.signature, () => voteSigningHash(vote), publicKey);
}

/** Signs a proposal body with the proposer's key. */
export function signProposal(body: ProposalBody, privateKey: Uint8Array): Proposal {
  const unsigned = proposalBodyOf(body);
  return { ...unsigned, signature: signHash(proposalSigningHash(unsigned), privateKey) };
}

/** True when the proposal's signature verifies against `publicKey` (the proposer's). */
export function isProposalSignatureValid(proposal: Proposal, publicKey: PublicKey): boolean {
  return isSignatureValid(proposal.signature, () => proposalSigningHash(proposal), publicKey);
}

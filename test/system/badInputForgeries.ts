/**
 * The gossip messages two Byzantine validators send in the bad-input system test: malformed and
 * truncated frames, frames of the wrong kind, wrongly signed or misdirected transactions, forged
 * votes and proposals, forged cross-shard receipts and headers, and oversized messages.
 *
 * Each message says who sends it, so that no sender crosses a victim's ban threshold before every
 * targeted message was judged (default scoring: a rejected message costs 10 points, an oversized
 * one 25, a ban comes at -100; see DEFAULT_PENALTIES in @shardpay/p2p). `cost` is what it costs the
 * sender at each victim of the shard it reaches, when it is rejected.
 */
import { sha256, utf8ToBytes } from '@shardpay/crypto';
import type { GossipTopicKind } from '@shardpay/p2p';
import {
  type Block,
  type BlockHeader,
  type CommitCertificate,
  encodeBlock,
  encodeBlockHeader,
  encodeCommitCertificate,
  encodeProposal,
  encodeReceipt,
  encodeTransaction,
  encodeVote,
  headerId,
  proposerIndex,
  type Receipt,
  signProposal,
  signVote,
  type Transaction,
} from '@shardpay/protocol';
import { encodeWireFrame, u32Bytes, u64Bytes, WireKind } from './badInputWire.ts';

/** Which of the two attackers sends a message: validator 3 of shard 0 or of shard 1. */
export type AttackerName = 'shard0Validator' | 'shard1Validator';

export interface Forgery {
  what: string;
  by: AttackerName;
  /** The shard whose topic carries it, and the topic kind. */
  shard: number;
  kind: GossipTopicKind;
  data: Uint8Array;
  /** Points it costs the sender at each validator that receives it (0: ignored, not rejected). */
  cost: number;
  /** Set on transactions: a validator must never hold them (status stays "unknown"). */
  transaction?: Transaction;
  /** The one message a victim accepts: a replay of genuine receipts, which must credit nothing. */
  replay?: true;
}

export interface ForgeryContext {
  chainId: string;
  /** Shard 0's latest height when the attack starts. */
  shard0Height: bigint;
  /** Keys of the attackers (validator 3 of shard 0, validator 3 of shard 1). */
  attackerKeys: Record<AttackerName, Uint8Array>;
  /** A genuine transfer of shard 0, already final, and variants of it the caller signs. */
  finalTransfer: Transaction;
  wrongChainTransfer: Transaction;
  wrongShardTransfer: Transaction;
  /** A committed shard-0 block with receipts to shard 1, its header, certificate and receipts. */
  block: Block;
  header: BlockHeader;
  certificate: CommitCertificate;
  receipts: Receipt[];
  randomBytes(length: number): Uint8Array;
  /** The largest tx-topic message a validator accepts. */
  maxTxMessageBytes: number;
}

const REJECTED = 10;
const OVERSIZED = 25;

/** Every targeted forgery, in the order to send them. */
export function buildForgeries(context: ForgeryContext): Forgery[] {
  const { chainId, header, certificate, receipts, randomBytes } = context;
  let sequence = 1;
  const frame = (kind: number, parts: Uint8Array[]) => encodeWireFrame(kind, parts, sequence++);
  const receiptsFrame = (cert: CommitCertificate, list: readonly Receipt[] = receipts) =>
    frame(WireKind.committedReceipts, [
      encodeBlockHeader(header),
      encodeCommitCertificate(cert),
      ...list.map(encodeReceipt),
    ]);
  const notAValidator = sha256(utf8ToBytes('bad-input:not-a-validator'));
  const nextHeight = context.shard0Height + 1n;
  /** A prevote of shard 0 for a random block, claiming `validatorIndex`, signed with `key`. */
  const vote = (height: bigint, validatorIndex: number, key: Uint8Array) => {
    const body = {
      chainId,
      shard: 0,
      height,
      round: 0,
      type: 'prevote' as const,
      blockHash: randomBytes(32),
      validatorIndex,
    };
    return frame(WireKind.vote, [encodeVote(signVote(body, key))]);
  };
  // A round of the next height whose proposer is not validator 3.
  const round = proposerIndex(nextHeight, 0, 4) === 3 ? 1 : 0;
  const proposal = (blockHash: Uint8Array) =>
    frame(WireKind.proposal, [
      encodeProposal(
        signProposal(
          { chainId, shard: 0, height: nextHeight, round, validRound: -1, blockHash, proposerIndex: 3 },
          context.attackerKeys.shard1Validator,
        ),
      ),
      encodeBlock(context.block),
    ]);
  const wronglySigned: Transaction = { ...context.finalTransfer, nonce: context.finalTransfer.nonce + 1n };
  const signatures = certificate.signatures;

  const forgeries: Forgery[] = [
    // ---- validator 3 of shard 0: 85 points at shard 0's validators, 40 at shard 1's.
    // Misdirected transactions (another chain, another shard) are ignored, not penalized: they
    // may be honest mistakes of a relaying peer.
    {
      what: 'a truncated tx frame',
      by: 'shard0Validator',
      shard: 0,
      kind: 'tx',
      data: frame(WireKind.transactions, [encodeTransaction(context.finalTransfer)]).subarray(0, 30),
      cost: REJECTED,
    },
    {
      what: 'a tx that does not decode',
      by: 'shard0Validator',
      shard: 0,
      kind: 'tx',
      data: frame(WireKind.transactions, [randomBytes(120)]),
      cost: REJECTED,
    },
    {
      what: 'a vote frame on the tx topic',
      by: 'shard0Validator',
      shard: 0,
      kind: 'tx',
      data: frame(WireKind.vote, [randomBytes(100)]),
      cost: REJECTED,
    },
    {
      what: 'a tx frame on the consensus topic',
      by: 'shard0Validator',
      shard: 0,
      kind: 'consensus',
      data: frame(WireKind.transactions, [encodeTransaction(context.finalTransfer)]),
      cost: REJECTED,
    },
    {
      what: 'a wrongly signed tx',
      by: 'shard0Validator',
      shard: 0,
      kind: 'tx',
      data: frame(WireKind.transactions, [encodeTransaction(wronglySigned)]),
      cost: REJECTED,
      transaction: wronglySigned,
    },
    {
      what: 'a tx of another chain',
      by: 'shard0Validator',
      shard: 0,
      kind: 'tx',
      data: frame(WireKind.transactions, [encodeTransaction(context.wrongChainTransfer)]),
      cost: 0,
      transaction: context.wrongChainTransfer,
    },
    {
      what: "a shard-1 account's tx on shard 0",
      by: 'shard0Validator',
      shard: 0,
      kind: 'tx',
      data: frame(WireKind.transactions, [encodeTransaction(context.wrongShardTransfer)]),
      cost: 0,
      transaction: context.wrongShardTransfer,
    },
    {
      what: "shard 0's receipts on shard 1's receipts topic",
      by: 'shard0Validator',
      shard: 1,
      kind: 'receipts',
      data: receiptsFrame(certificate),
      cost: REJECTED,
    },
    {
      what: 'an oversized tx batch',
      by: 'shard0Validator',
      shard: 0,
      kind: 'tx',
      data: randomBytes(context.maxTxMessageBytes + 1024),
      cost: OVERSIZED,
    },
    {
      what: 'a sync request frame on the headers topic',
      by: 'shard0Validator',
      shard: 1,
      kind: 'headers',
      data: frame(WireKind.syncRequest, [u64Bytes(1n), u32Bytes(1)]),
      cost: REJECTED,
    },
    {
      what: 'a proposal frame on the receipts topic',
      by: 'shard0Validator',
      shard: 0,
      kind: 'receipts',
      data: frame(WireKind.proposal, [randomBytes(10)]),
      cost: REJECTED,
    },
    {
      what: "a shard-0 tx on shard 1's tx topic",
      by: 'shard0Validator',
      shard: 1,
      kind: 'tx',
      data: frame(WireKind.transactions, [encodeTransaction(context.finalTransfer)]),
      cost: 0,
    },
    {
      what: 'receipts with an inflated amount',
      by: 'shard0Validator',
      shard: 0,
      kind: 'receipts',
      data: receiptsFrame(
        certificate,
        receipts.map((receipt, i) => (i === 0 ? { ...receipt, amount: receipt.amount * 1000n } : receipt)),
      ),
      cost: REJECTED,
    },
    {
      what: 'receipts under too few signatures',
      by: 'shard0Validator',
      shard: 0,
      kind: 'receipts',
      data: receiptsFrame({ ...certificate, signatures: signatures.slice(0, 2) }),
      cost: REJECTED,
    },

    // ---- validator 3 of shard 1: 60 points at shard 0's validators, 55 at shard 1's.
    {
      what: 'a vote with a bad signature',
      by: 'shard1Validator',
      shard: 0,
      kind: 'consensus',
      data: vote(nextHeight, 3, notAValidator),
      cost: REJECTED,
    },
    {
      what: 'a vote impersonating validator 0',
      by: 'shard1Validator',
      shard: 0,
      kind: 'consensus',
      data: vote(nextHeight, 0, context.attackerKeys.shard0Validator),
      cost: REJECTED,
    },
    {
      what: 'a forged vote from the far future',
      by: 'shard1Validator',
      shard: 0,
      kind: 'consensus',
      data: vote(1n << 62n, 1, notAValidator),
      cost: REJECTED,
    },
    {
      what: 'a proposal whose block does not match its hash',
      by: 'shard1Validator',
      shard: 0,
      kind: 'consensus',
      data: proposal(randomBytes(32)),
      cost: REJECTED,
    },
    {
      what: 'a proposal signed by a validator of another shard',
      by: 'shard1Validator',
      shard: 0,
      kind: 'consensus',
      data: proposal(headerId(context.block.header)),
      cost: REJECTED,
    },
    {
      what: 'a committed header under a certificate of another block',
      by: 'shard1Validator',
      shard: 0,
      kind: 'headers',
      data: frame(WireKind.committedHeader, [
        encodeBlockHeader({ ...header, height: header.height + 1000n }),
        encodeCommitCertificate(certificate),
      ]),
      cost: REJECTED,
    },
    {
      what: 'receipts under a duplicated signer',
      by: 'shard1Validator',
      shard: 0,
      kind: 'receipts',
      data: receiptsFrame({
        ...certificate,
        signatures: [signatures[0]!, signatures[0]!, ...signatures.slice(1)],
      }),
      cost: REJECTED,
    },
    {
      what: 'receipts under an unknown signer',
      by: 'shard1Validator',
      shard: 0,
      kind: 'receipts',
      data: receiptsFrame({
        ...certificate,
        signatures: [...signatures.slice(0, 2), { validatorIndex: 9, signature: signatures[2]!.signature }],
      }),
      cost: REJECTED,
    },
    {
      what: 'receipts under bad signatures',
      by: 'shard1Validator',
      shard: 0,
      kind: 'receipts',
      data: receiptsFrame({
        ...certificate,
        signatures: signatures.map((entry) => ({ ...entry, signature: randomBytes(64) })),
      }),
      cost: REJECTED,
    },
    {
      what: 'an oversized tx batch to shard 1',
      by: 'shard1Validator',
      shard: 1,
      kind: 'tx',
      data: randomBytes(context.maxTxMessageBytes + 1024),
      cost: OVERSIZED,
    },
    {
      what: 'a replay of the genuine receipts (already credited)',
      by: 'shard1Validator',
      shard: 0,
      kind: 'receipts',
      data: receiptsFrame(certificate),
      cost: 0,
      replay: true,
    },
  ];
  return forgeries;
}

/** Which shard's validators receive a message on `kind` of `shard`. */
export function receivingShard(shard: number, kind: GossipTopicKind): number {
  // A shard's validators listen on their own tx/consensus/headers topics and on the other
  // shards' receipts topics (two shards here).
  return kind === 'receipts' ? 1 - shard : shard;
}

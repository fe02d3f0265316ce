import { readFileSync } from 'node:fs';
import { createPrivateKeySigner } from '@shardpay/consensus';
import {
  bytesToHex,
  hexToBytes,
  isShardpayError,
  publicKeyFromPrivateKey,
  ShardpayError,
} from '@shardpay/crypto';
import {
  accountProof,
  createStateOverlay,
  encodeAccountProof,
  isFrozen,
  readShardControl,
  receiptInclusionProof,
  senderSpend,
} from '@shardpay/ledger';
import {
  createP2PHost,
  type GossipMessage,
  type GossipVerdict,
  gossipTopic,
  type P2PHost,
  peerIdFromValidatorPublicKey,
  RECEIPTS_PROTOCOL,
  SYNC_PROTOCOL,
} from '@shardpay/p2p';
import {
  type Block,
  committeeOf,
  decodeBlock,
  decodeBlockHeader,
  decodeCommitCertificate,
  decodeProposal,
  decodeReceipt,
  decodeTransaction,
  decodeVote,
  encodeBlock,
  encodeBlockHeader,
  encodeCommitCertificate,
  encodeProposal,
  encodeReceipt,
  encodeTransaction,
  encodeVote,
  type Hash,
  headerId,
  isTransactionSignatureValid,
  type NetworkConfig,
  networkConfigFromJson,
  proposerIndex,
  type Receipt,
  shardOfAddress,
  type Transaction,
  transactionId,
  transactionSender,
  verifyCommitCertificate,
} from '@shardpay/protocol';
import { type ChainStore, createLmdbChainStore, type TxStage } from '@shardpay/storage';
import { type CommittedBlock, openShardChain, type ShardChain } from './chain/createShardChain.ts';
import { type ConsensusDriver, createConsensusDriver } from './consensus/createConsensusDriver.ts';
import { createRejectionLog } from './gossip/createRejectionLog.ts';
import { createMempool, type Mempool } from './mempool/createMempool.ts';
import type { NodeConfig } from './NodeConfig.ts';
import { type CommittedReceipts, createIncomingPool, type IncomingPool } from './relay/createIncomingPool.ts';
import { createSignatureVerifier, type SignatureVerifier } from './signatures/createSignatureVerifier.ts';
import type {
  AccountView,
  CommittedBlockEvent,
  NodeStats,
  TransactionStage,
  TransactionStatus,
  ValidatorNode,
} from './ValidatorNode.ts';
import {
  decodeFrame,
  decodePart,
  encodeFrame,
  expectFrame,
  FrameKind,
  readU32,
  readU64,
  u32Bytes,
  u64Bytes,
} from './wire/frames.ts';

/** Cross-shard status questions between validators. */
export const STATUS_PROTOCOL = '/shardpay/status/1';

const SYNC_MAX_BLOCKS = 64;
const SYNC_MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
const RECEIPTS_MAX_BLOCKS = 256;
const TX_BATCH_MAX = 256;
const TX_BATCH_DELAY_MS = 5;
const GOSSIP_INTERVAL_MS = 1000;
const RELAY_POLL_MS = 1000;
/**
 * With nothing committed for this long, ask a peer for blocks. A node normally learns it is behind
 * from gossip (headers, future-height votes); one whose gossip stopped arriving (a connection that
 * looks open but carries nothing, after a partition) would otherwise wait for minutes. Block sync
 * is request/response on fresh streams, and a peer with nothing newer answers with an empty frame.
 */
const SYNC_WATCHDOG_MS = 4000;
const MAX_VERIFIED_IDS = 200_000;
const STAGE_CODES: readonly TxStage[] = ['credited', 'refused', 'refunded'];

export interface ValidatorNodeOptions {
  /** One JSON-able log line per event; never receives secrets. */
  log?: (event: string, fields: Record<string, unknown>) => void;
  /** Opens the store (default: LMDB in `config.dataDir`). */
  openStore?: (config: NodeConfig, network: NetworkConfig) => ChainStore;
}

function readJsonFile(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ShardpayError('NODE_CONFIG_INVALID', `cannot read the ${what} at ${path}`, { cause: error });
  }
}

function readValidatorKey(path: string): Uint8Array {
  const json = readJsonFile(path, 'validator key') as { privateKey?: unknown };
  if (typeof json?.privateKey !== 'string') {
    throw new ShardpayError('NODE_CONFIG_INVALID', `the key file ${path} has no "privateKey"`);
  }
  return hexToBytes(json.privateKey);
}

/** Builds a validator (storage, ledger, consensus, p2p, mempool, relayer, sync) from its config. */
export async function createValidatorNode(
  config: NodeConfig,
  options: ValidatorNodeOptions = {},
): Promise<ValidatorNode> {
  const log = options.log ?? (() => {});
  const network = networkConfigFromJson(readJsonFile(config.genesisPath, 'genesis'));
  const { shard, validatorIndex } = config;
  const committee = committeeOf(network, shard);
  const privateKey = readValidatorKey(config.keyPath);
  const publicKey = publicKeyFromPrivateKey(privateKey);
  const member = committee.validators[validatorIndex];
  if (!member || bytesToHex(member.publicKey) !== bytesToHex(publicKey)) {
    throw new ShardpayError(
      'NODE_CONFIG_INVALID',
      `the key is not validator ${validatorIndex} of shard ${shard} in genesis`,
      { meta: { shard, validatorIndex } },
    );
  }

  const store = options.openStore
    ? options.openStore(config, network)
    : createLmdbChainStore({ path: config.dataDir, chainId: network.chainId, shard });
  const verifier: SignatureVerifier = createSignatureVerifier({
    threads: config.signatureThreads,
    maxBatch: 512,
  });
  /** Transaction ids whose signatures a worker verified: block validation reuses the verdict. */
  const verifiedIds = new Set<string>();
  const chain: ShardChain = openShardChain(network, shard, store, {
    isTransactionSignatureValid: (tx, id) =>
      verifiedIds.has(bytesToHex(id)) || isTransactionSignatureValid(tx),
  });
  const mempool: Mempool = createMempool(
    { ...config.mempool, maxNonceGap: BigInt(config.mempool.maxNonceGap) },
    { committedNonce: (address) => chain.account(address).nonce },
  );
  const incoming: IncomingPool = createIncomingPool(network, shard);

  // Which peer is which validator: peer ids are bound to validator keys (see @shardpay/p2p).
  const peerShard = new Map<string, number>();
  const bootstrap: string[] = [];
  for (const c of network.committees) {
    c.validators.forEach((validator, index) => {
      const peerId = peerIdFromValidatorPublicKey(validator.publicKey);
      peerShard.set(peerId, c.shard);
      if (c.shard === shard && index === validatorIndex) return;
      for (const address of validator.addresses) bootstrap.push(`${address}/p2p/${peerId}`);
    });
  }
  const topic = {
    tx: gossipTopic(network.chainId, shard, 'tx'),
    consensus: gossipTopic(network.chainId, shard, 'consensus'),
    headers: gossipTopic(network.chainId, shard, 'headers'),
    receipts: gossipTopic(network.chainId, shard, 'receipts'),
  };

  const listeners = new Set<(event: CommittedBlockEvent) => void>();
  const stats = {
    transactionsCommitted: 0,
    blocksCommitted: 0,
    receiptsRelayed: 0,
    lastBlockIntervalMs: 0,
    lastCommitAt: 0,
    evidence: 0,
  };
  let sequence = 0;
  let host: P2PHost | undefined;
  let driver: ConsensusDriver | undefined;
  let stopped = false;
  const intervals: Array<ReturnType<typeof setInterval>> = [];

  function publish(topicName: string, kind: number, parts: Uint8Array[]): void {
    if (!host?.isStarted()) return;
    host.publish(topicName, encodeFrame(kind, parts, ++sequence)).catch((error: unknown) => {
      // No peer subscribed yet is normal at start-up; re-gossip and sync cover it.
      if (!isShardpayError(error)) log('publish_failed', { topic: topicName, error: String(error) });
    });
  }

  function peersOf(targetShard: number): string[] {
    return (host?.connectedPeers() ?? []).filter((peer) => peerShard.get(peer) === targetShard);
  }

  // ---------------------------------------------------------------------------------------------
  // Transactions

  let txBatch: Uint8Array[] = [];
  let txBatchTimer: ReturnType<typeof setTimeout> | undefined;
  function gossipTransaction(encoded: Uint8Array): void {
    txBatch.push(encoded);
    if (txBatch.length >= TX_BATCH_MAX) flushTransactions();
    else txBatchTimer ??= setTimeout(flushTransactions, TX_BATCH_DELAY_MS);
  }
  function flushTransactions(): void {
    if (txBatchTimer) clearTimeout(txBatchTimer);
    txBatchTimer = undefined;
    if (txBatch.length === 0) return;
    publish(topic.tx, FrameKind.transactions, txBatch);
    txBatch = [];
  }

  /** Stateless and ledger pre-checks that give a submitter an immediate coded answer. */
  function precheck(tx: Transaction): { id: Hash; sender: Uint8Array } {
    if (tx.chainId !== network.chainId) {
      throw new ShardpayError('WRONG_CHAIN', `the transaction is for chain "${tx.chainId}"`);
    }
    const sender = transactionSender(tx);
    const home = shardOfAddress(network, sender);
    if (tx.shard !== shard || home !== shard) {
      throw new ShardpayError('WRONG_SHARD', `submit this transaction to shard ${home}`, {
        meta: { shard: home, submittedTo: shard },
      });
    }
    if (tx.expiryHeight <= chain.height()) {
      throw new ShardpayError('EXPIRED', `the transaction expired at height ${tx.expiryHeight}`);
    }
    return { id: transactionId(tx), sender };
  }

  async function admit(
    encodedList: Uint8Array[],
    transactions: Transaction[],
    fromPeer: boolean,
  ): Promise<Hash[]> {
    const prepared = transactions.map((tx) => ({ tx, ...precheck(tx) }));
    const fresh = prepared.filter((p) => !mempool.has(bytesToHex(p.id)));
    const valid = await verifier.verify(fresh.map((p) => encodedList[prepared.indexOf(p)]!));
    const admitted: Hash[] = [];
    fresh.forEach((p, i) => {
      if (!valid[i]) {
        throw new ShardpayError('BAD_SIGNATURE', 'the transaction signature does not verify');
      }
      const idHex = bytesToHex(p.id);
      // Verdicts of transactions that never commit would pile up: start over past a bound.
      if (verifiedIds.size >= MAX_VERIFIED_IDS) verifiedIds.clear();
      verifiedIds.add(idHex);
      try {
        mempool.add({
          tx: p.tx,
          id: p.id,
          idHex,
          sender: p.sender,
          senderHex: bytesToHex(p.sender),
          size: encodedList[prepared.indexOf(p)]!.length,
        });
        admitted.push(p.id);
        if (!fromPeer) gossipTransaction(encodedList[prepared.indexOf(p)]!);
      } catch (error) {
        if (!fromPeer) throw error;
      }
    });
    return admitted;
  }

  // ---------------------------------------------------------------------------------------------
  // Commits

  function onCommitted(committed: CommittedBlock): void {
    const { block, hash, certificate, execution } = committed;
    const now = Date.now();
    if (stats.lastCommitAt > 0) stats.lastBlockIntervalMs = now - stats.lastCommitAt;
    stats.lastCommitAt = now;
    stats.blocksCommitted++;
    stats.transactionsCommitted += block.transactions.length;
    stats.receiptsRelayed += execution.incomingOutcomes.length;
    const senders = block.transactions.map((tx) => transactionSender(tx));
    mempool.pruneAfterCommit(block.header.height, senders);
    for (const id of execution.transactionIds) verifiedIds.delete(bytesToHex(id));
    incoming.prune((id) => chain.state.reader.isReceiptConsumed(id));
    publish(topic.headers, FrameKind.committedHeader, [
      encodeBlockHeader(block.header),
      encodeCommitCertificate(certificate),
    ]);
    if (execution.outgoingReceipts.length > 0) {
      publish(topic.receipts, FrameKind.committedReceipts, [
        encodeBlockHeader(block.header),
        encodeCommitCertificate(certificate),
        ...execution.outgoingReceipts.map(encodeReceipt),
      ]);
    }
    log('block_committed', {
      height: block.header.height.toString(),
      hash: bytesToHex(hash),
      transactions: block.transactions.length,
      receiptsIn: execution.incomingOutcomes.length,
      receiptsOut: execution.outgoingReceipts.length,
    });
    const event: CommittedBlockEvent = {
      header: block.header,
      hash,
      transactionIds: execution.transactionIds,
      receipts: execution.outgoingReceipts,
    };
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log('listener_failed', { error: String(error) });
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Block sync: a lagging or restarted validator fetches committed blocks with their certificates.

  let syncing = false;
  let syncTarget = 0n;
  function onBehind(height: bigint): void {
    if (height > syncTarget) syncTarget = height;
    if (!syncing) void runSync();
  }

  async function runSync(): Promise<void> {
    syncing = true;
    try {
      for (let attempt = 0; attempt < 8 && !stopped; attempt++) {
        const peers = peersOf(shard);
        if (peers.length === 0) return;
        const peer = peers[(attempt + Number(chain.height())) % peers.length]!;
        const from = chain.height() + 1n;
        let response: Uint8Array;
        try {
          response = await host!.request(
            peer,
            SYNC_PROTOCOL,
            encodeFrame(FrameKind.syncRequest, [u64Bytes(from), u32Bytes(SYNC_MAX_BLOCKS)]),
            { timeoutMs: 10_000 },
          );
        } catch (error) {
          log('sync_request_failed', { peer, error: isShardpayError(error) ? error.code : String(error) });
          continue;
        }
        let applied = 0;
        try {
          const frame = expectFrame(response, FrameKind.syncResponse);
          for (let i = 0; i + 1 < frame.parts.length; i += 2) {
            const block = decodePart(frame.parts, i, decodeBlock);
            const certificate = decodePart(frame.parts, i + 1, decodeCommitCertificate);
            if (block.header.height !== chain.height() + 1n) break;
            const hash = headerId(block.header);
            verifyCommitCertificate(certificate, committee, {
              chainId: network.chainId,
              shard,
              height: block.header.height,
              blockHash: hash,
            });
            chain.validate(block);
            driver!.onSyncedBlock(block, hash, certificate);
            applied++;
          }
        } catch (error) {
          if (!isShardpayError(error)) throw error;
          host!.penalize(peer, 'invalid-response');
          log('sync_response_invalid', { peer, code: error.code });
          continue;
        }
        if (applied === 0 && chain.height() + 1n >= syncTarget) return;
        if (applied > 0) attempt = -1;
      }
    } finally {
      syncing = false;
      // Forget a target no peer could serve, so the next trigger starts fresh.
      if (syncTarget > chain.height() + 1n) syncTarget = chain.height() + 1n;
    }
  }

  async function serveSync(body: Uint8Array): Promise<Uint8Array> {
    const frame = expectFrame(body, FrameKind.syncRequest);
    const from = decodePart(frame.parts, 0, readU64);
    const max = Math.min(SYNC_MAX_BLOCKS, decodePart(frame.parts, 1, readU32));
    const parts: Uint8Array[] = [];
    let size = 0;
    for (let height = from; height < from + BigInt(max) && height <= chain.height(); height++) {
      const block = store.getBlock(height);
      const certificate = store.getCertificate(height);
      if (!block || !certificate) break;
      const encoded = encodeBlock(block);
      if (parts.length > 0 && size + encoded.length > SYNC_MAX_RESPONSE_BYTES) break;
      parts.push(encoded, encodeCommitCertificate(certificate));
      size += encoded.length;
    }
    return encodeFrame(FrameKind.syncResponse, parts);
  }

  // ---------------------------------------------------------------------------------------------
  // Cross-shard relay: receipts arrive by gossip at once, and by polling as a safety net.

  /** Per source shard: every receipt to us from heights ≤ this was seen (persisted, resumes). */
  const scanned = new Map<number, bigint>();
  for (let s = 0; s < network.shardCount; s++) {
    if (s === shard) continue;
    const stored = store.getMeta(`relay/scanned/${s}`);
    scanned.set(s, stored ? readU64(stored) : 0n);
  }

  function decodeCommittedReceipts(parts: Uint8Array[]): CommittedReceipts {
    return {
      header: decodePart(parts, 0, decodeBlockHeader),
      certificate: decodePart(parts, 1, decodeCommitCertificate),
      receipts: parts.slice(2).map((_, i) => decodePart(parts, i + 2, decodeReceipt)),
    };
  }

  function acceptReceipts(committed: CommittedReceipts): void {
    const added = incoming.add(committed);
    if (added > 0) incoming.prune((id) => chain.state.reader.isReceiptConsumed(id));
  }

  async function pollReceipts(): Promise<void> {
    for (const [source, from] of scanned) {
      const peers = peersOf(source);
      if (peers.length === 0) continue;
      const peer = peers[Math.floor(Math.random() * peers.length)]!;
      try {
        const response = await host!.request(
          peer,
          RECEIPTS_PROTOCOL,
          encodeFrame(FrameKind.receiptsRequest, [
            u32Bytes(shard),
            u64Bytes(from + 1n),
            u32Bytes(RECEIPTS_MAX_BLOCKS),
          ]),
          { timeoutMs: 10_000 },
        );
        const frame = expectFrame(response, FrameKind.receiptsResponse);
        const scannedTo = decodePart(frame.parts, 0, readU64);
        for (const part of frame.parts.slice(1)) {
          const committed = decodeCommittedReceipts(expectFrame(part, FrameKind.committedReceipts).parts);
          if (committed.header.shard !== source)
            throw new ShardpayError('RECEIPT_PROOF_INVALID', 'wrong source shard');
          acceptReceipts(committed);
        }
        // Never move past a receipt that is still waiting: the pool is memory and a restart loses it.
        const waiting = incoming.lowestWaitingHeight(source);
        const safe = waiting === undefined ? scannedTo : waiting - 1n < scannedTo ? waiting - 1n : scannedTo;
        if (safe > from) {
          scanned.set(source, safe);
          store.setMeta(`relay/scanned/${source}`, u64Bytes(safe));
        }
      } catch (error) {
        if (!isShardpayError(error)) throw error;
        if (
          error.code === 'CERTIFICATE_INVALID' ||
          error.code === 'RECEIPT_PROOF_INVALID' ||
          error.code === 'WIRE_MALFORMED'
        ) {
          host!.penalize(peer, 'invalid-response');
        }
        log('relay_poll_failed', { source, peer, code: error.code });
      }
    }
  }

  async function serveReceipts(body: Uint8Array): Promise<Uint8Array> {
    const frame = expectFrame(body, FrameKind.receiptsRequest);
    const target = decodePart(frame.parts, 0, readU32);
    const from = decodePart(frame.parts, 1, readU64);
    const max = BigInt(Math.min(RECEIPTS_MAX_BLOCKS, decodePart(frame.parts, 2, readU32)));
    const latest = chain.height();
    const parts: Uint8Array[] = [];
    let size = 0;
    let scannedTo = from - 1n;
    for (let height = from; height < from + max && height <= latest; height++) {
      const receipts = store.getBlockReceipts(height) ?? [];
      if (receipts.some((receipt) => receipt.targetShard === target)) {
        const entry = encodeFrame(FrameKind.committedReceipts, [
          encodeBlockHeader(store.getHeader(height)!),
          encodeCommitCertificate(store.getCertificate(height)!),
          ...receipts.map(encodeReceipt),
        ]);
        if (parts.length > 0 && size + entry.length > SYNC_MAX_RESPONSE_BYTES) break;
        parts.push(entry);
        size += entry.length;
      }
      scannedTo = height;
    }
    return encodeFrame(FrameKind.receiptsResponse, [u64Bytes(scannedTo < 0n ? 0n : scannedTo), ...parts]);
  }

  // ---------------------------------------------------------------------------------------------
  // Transaction status from the original hash

  async function serveStatus(body: Uint8Array): Promise<Uint8Array> {
    const frame = expectFrame(body, FrameKind.statusRequest);
    const txId = frame.parts[0];
    if (txId?.length !== 32) throw new ShardpayError('WIRE_MALFORMED', 'a status request names a 32-byte id');
    const status = store.getTxStatus(txId);
    if (!status) return encodeFrame(FrameKind.statusResponse, []);
    return encodeFrame(FrameKind.statusResponse, [
      u32Bytes(STAGE_CODES.indexOf(status.stage)),
      u64Bytes(status.height),
      status.receiptId,
    ]);
  }

  async function remoteStatus(
    target: number,
    txId: Hash,
  ): Promise<{ stage: TxStage; height: bigint; receiptId: Hash } | undefined> {
    for (const peer of peersOf(target)) {
      try {
        const response = await host!.request(
          peer,
          STATUS_PROTOCOL,
          encodeFrame(FrameKind.statusRequest, [txId]),
          {
            timeoutMs: 3000,
          },
        );
        const frame = expectFrame(response, FrameKind.statusResponse);
        if (frame.parts.length === 0) return undefined;
        const stage = STAGE_CODES[decodePart(frame.parts, 0, readU32)];
        const receiptId = frame.parts[2];
        if (!stage || !receiptId || receiptId.length !== 32)
          throw new ShardpayError('WIRE_MALFORMED', 'bad status');
        return { stage, height: decodePart(frame.parts, 1, readU64), receiptId: new Uint8Array(receiptId) };
      } catch (error) {
        if (!isShardpayError(error)) throw error;
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Gossip in
  //
  // 'reject' penalizes the relaying peer (ten ban a peer of another shard; our own committee is
  // protected, see start()), so it is only for what is provably invalid whatever this node's state: a malformed frame, a wrong topic, a body that does
  // not match its signed hash, a bad signature or certificate. What an honest peer that is behind,
  // ahead or restarted can send (stale or future heights and rounds, transactions our state
  // refuses, duplicates) is 'ignore'. Every rejection is logged (`gossip_rejected`, rate-limited).

  const logRejection = createRejectionLog(log, Date.now);
  /** The reason the consensus driver gave for its last 'reject' (it judges synchronously). */
  let consensusRejection = '';

  async function onGossip(message: GossipMessage): Promise<GossipVerdict> {
    const verdict = await judgeGossip(message);
    if (typeof verdict === 'string') return verdict;
    logRejection({ kind: message.kind, reason: verdict.reject, peer: message.from });
    return 'reject';
  }

  async function judgeGossip(message: GossipMessage): Promise<GossipVerdict | { reject: string }> {
    if (!driver) return 'ignore';
    const fromDriver = (verdict: GossipVerdict): GossipVerdict | { reject: string } =>
      verdict === 'reject' ? { reject: consensusRejection || 'CONSENSUS_MESSAGE_INVALID' } : verdict;
    try {
      const frame = decodeFrame(message.data);
      switch (message.kind) {
        case 'tx': {
          if (message.shard !== shard) return { reject: 'wrong_shard' };
          if (frame.kind !== FrameKind.transactions) return { reject: 'wrong_frame_kind' };
          const transactions = frame.parts.map((_, i) => decodePart(frame.parts, i, decodeTransaction));
          await admit(frame.parts, transactions, true);
          return 'accept';
        }
        case 'consensus': {
          if (message.shard !== shard) return { reject: 'wrong_shard' };
          consensusRejection = '';
          if (frame.kind === FrameKind.proposal) {
            const proposal = decodePart(frame.parts, 0, decodeProposal);
            const block = decodePart(frame.parts, 1, decodeBlock);
            if (bytesToHex(headerId(block.header)) !== bytesToHex(proposal.blockHash)) {
              return { reject: 'block_hash_mismatch' };
            }
            // No check of block.header.proposerIndex against the proposal's: a re-proposal
            // (validRound ≥ 0) carries the block of the round that got the polka, built by that
            // round's proposer. Rejecting it banned honest proposers and halted shards after faults.
            return fromDriver(driver.onProposal(proposal, block));
          }
          if (frame.kind === FrameKind.vote) {
            return fromDriver(driver.onVote(decodePart(frame.parts, 0, decodeVote)));
          }
          return { reject: 'wrong_frame_kind' };
        }
        case 'headers': {
          if (frame.kind !== FrameKind.committedHeader) return { reject: 'wrong_frame_kind' };
          const header = decodePart(frame.parts, 0, decodeBlockHeader);
          const certificate = decodePart(frame.parts, 1, decodeCommitCertificate);
          if (message.shard !== shard || header.shard !== shard) return 'ignore';
          verifyCommitCertificate(certificate, committee, {
            chainId: network.chainId,
            shard,
            height: header.height,
            blockHash: headerId(header),
          });
          if (header.height > chain.height()) onBehind(header.height);
          return 'accept';
        }
        case 'receipts': {
          if (frame.kind !== FrameKind.committedReceipts) return { reject: 'wrong_frame_kind' };
          if (message.shard === shard) return { reject: 'wrong_shard' };
          const committed = decodeCommittedReceipts(frame.parts);
          if (committed.header.shard !== message.shard) return { reject: 'wrong_source_shard' };
          acceptReceipts(committed);
          return 'accept';
        }
      }
    } catch (error) {
      if (!isShardpayError(error)) {
        log('gossip_handler_failed', { kind: message.kind, error: String(error) });
        return 'ignore';
      }
      const forged = [
        'WIRE_MALFORMED',
        'DECODE_ERROR',
        'CERTIFICATE_INVALID',
        'RECEIPT_PROOF_INVALID',
        'BAD_SIGNATURE',
      ];
      if (!forged.includes(error.code)) return 'ignore';
      const detail = typeof error.meta.reason === 'string' ? `/${error.meta.reason}` : '';
      return { reject: `${error.code}${detail}` };
    }
  }

  function regossip(): void {
    if (!driver) return;
    for (const { message, block } of driver.messagesForGossip()) {
      if (message.type === 'vote') publish(topic.consensus, FrameKind.vote, [encodeVote(message.vote)]);
      else if (block)
        publish(topic.consensus, FrameKind.proposal, [encodeProposal(message.proposal), encodeBlock(block)]);
    }
  }

  // ---------------------------------------------------------------------------------------------

  function buildBlock(height: bigint, round: number) {
    const candidates = mempool.selectForBlock({
      maxTransactions: config.block.maxTransactions,
      maxBytes: config.block.maxBytes,
    });
    const built = chain.build({
      transactions: candidates.map((entry) => entry.tx),
      incoming: incoming.batchesForBlock(config.block.maxTransactions),
      proposerIndex: proposerIndex(height, round, committee.validators.length),
      timestampMs: BigInt(Date.now()),
      maxTransactions: config.block.maxTransactions,
    });
    for (const { tx, code } of built.refusedTransactions) {
      const sender = transactionSender(tx);
      mempool.evictFrom(bytesToHex(sender), tx.nonce);
      log('tx_dropped', { tx: bytesToHex(transactionId(tx)), code });
    }
    return built;
  }

  const node: ValidatorNode = {
    network,
    shard,
    validatorIndex,

    async start() {
      host = await createP2PHost(
        {
          validatorKey: privateKey,
          chainId: network.chainId,
          shard,
          listen: config.p2p.listen,
          bootstrap,
          allowedPeers: [...peerShard.keys()],
          // Never ban our own committee: with n = 4, one honest member cut off by a misjudgement
          // leaves no room for one more fault. Forgeries are still dropped; evidence covers equivocation.
          protectedPeers: [...peerShard]
            .filter(([, peerShardId]) => peerShardId === shard)
            .map(([peer]) => peer),
        },
        {
          onGossip,
          requestHandlers: {
            [SYNC_PROTOCOL]: serveSync,
            [RECEIPTS_PROTOCOL]: serveReceipts,
            [STATUS_PROTOCOL]: serveStatus,
          },
          onPeerBanned: (peer, reason) => log('peer_banned', { peer, reason }),
          onError: (error, context) => log('p2p_error', { context, error: String(error) }),
        },
      );
      host.subscribe(topic.tx);
      host.subscribe(topic.consensus);
      host.subscribe(topic.headers);
      for (let s = 0; s < network.shardCount; s++) {
        if (s !== shard) host.subscribe(gossipTopic(network.chainId, s, 'receipts'));
      }
      await host.start();
      driver = createConsensusDriver(
        {
          committee,
          validatorIndex,
          timeouts: {
            propose: { baseMs: config.consensus.proposeBaseMs, deltaMs: config.consensus.proposeDeltaMs },
            prevote: { baseMs: config.consensus.prevoteBaseMs, deltaMs: config.consensus.prevoteDeltaMs },
            precommit: {
              baseMs: config.consensus.precommitBaseMs,
              deltaMs: config.consensus.precommitDeltaMs,
            },
          },
          idleIntervalMs: config.block.idleIntervalMs,
          minIntervalMs: config.block.minIntervalMs,
        },
        {
          chain,
          signer: createPrivateKeySigner(privateKey),
          buildBlock,
          hasWork: () => mempool.size() > 0 || incoming.size() > 0,
          publishProposal: (proposal, block: Block) =>
            publish(topic.consensus, FrameKind.proposal, [encodeProposal(proposal), encodeBlock(block)]),
          publishVote: (vote) => publish(topic.consensus, FrameKind.vote, [encodeVote(vote)]),
          onCommitted,
          onBehind,
          onRejected: (reason) => {
            consensusRejection = reason;
          },
          onEvidence: (evidence) => {
            stats.evidence++;
            log('evidence', {
              validatorIndex: evidence.voteA.validatorIndex,
              height: evidence.voteA.height.toString(),
              round: evidence.voteA.round,
              type: evidence.voteA.type,
            });
          },
          log,
          nowMs: () => Date.now(),
        },
      );
      driver.start();
      intervals.push(setInterval(regossip, GOSSIP_INTERVAL_MS));
      let lastSeenHeight = chain.height();
      let lastProgressAt = Date.now();
      intervals.push(
        setInterval(() => {
          if (chain.height() !== lastSeenHeight) {
            lastSeenHeight = chain.height();
            lastProgressAt = Date.now();
          } else if (Date.now() - lastProgressAt >= SYNC_WATCHDOG_MS) onBehind(chain.height() + 1n);
        }, SYNC_WATCHDOG_MS / 2),
      );
      intervals.push(
        setInterval(() => {
          pollReceipts().catch((error: unknown) => log('relay_poll_failed', { error: String(error) }));
        }, RELAY_POLL_MS),
      );
      log('node_started', {
        chainId: network.chainId,
        shard,
        validatorIndex,
        height: chain.height().toString(),
        peerId: host.peerId,
      });
      onBehind(chain.height() + 1n);
    },

    async stop() {
      stopped = true;
      for (const interval of intervals) clearInterval(interval);
      if (txBatchTimer) clearTimeout(txBatchTimer);
      driver?.stop();
      await host?.stop();
      await verifier.close();
      await store.close();
    },

    async submitTransaction(tx, given) {
      const encoded = given ?? encodeTransaction(tx);
      const { id, sender } = precheck(tx);
      const account = chain.account(sender);
      const needed = tx.fee + senderSpend(tx.operation);
      if (tx.nonce === account.nonce && account.balance < needed) {
        throw new ShardpayError('INSUFFICIENT_FUNDS', 'the balance does not cover the amount and the fee', {
          meta: { balance: account.balance, needed },
        });
      }
      // The sender's next transaction is tried on committed state, so a refusal the ledger would make
      // (a frozen account, a paused shard, an escrow in the wrong state, too few multisig signatures…)
      // is answered now with its code rather than by dropping the transaction from a block later.
      if (tx.nonce === account.nonce) chain.checkTransaction(tx, id, BigInt(Date.now()));
      // Resubmitting a waiting transaction is harmless (same id); a committed one is a replay.
      if (mempool.has(bytesToHex(id))) return { txId: id };
      const committed = store.getTxLocation(id);
      if (committed) {
        throw new ShardpayError(
          'TX_ALREADY_FINAL',
          `this transaction is already final at height ${committed.height}`,
          {
            meta: { height: committed.height, index: committed.index },
          },
        );
      }
      await admit([encoded], [tx], false);
      return { txId: id };
    },

    getAccount(address, accountOptions = {}): AccountView {
      const account = chain.account(address);
      const meta = chain.state.reader.getMeta()!;
      const view: AccountView = {
        address,
        shard: shardOfAddress(network, address),
        balance: account.balance,
        nonce: account.nonce,
        pendingNonce: mempool.pendingNonce(address),
        height: meta.height,
        stateRoot: meta.stateRoot,
      };
      if (accountOptions.proof && view.shard === shard) {
        const proven = accountProof(chain.state, address);
        if (proven) view.proof = encodeAccountProof(proven.proof);
      }
      return view;
    },

    getSupply() {
      const meta = chain.state.reader.getMeta()!;
      return { shard, height: meta.height, minted: meta.minted, burned: meta.burned };
    },

    getRecord: (key) => chain.state.reader.getRecord(key),

    getShardControl: () => readShardControl(createStateOverlay(chain.state)),

    isFrozen: (address) => isFrozen(createStateOverlay(chain.state), address),

    async getTransactionStatus(txId): Promise<TransactionStatus> {
      const stages: TransactionStage[] = [];
      const location = store.getTxLocation(txId);
      if (!location) {
        const inPool = mempool.has(bytesToHex(txId));
        return inPool
          ? { txId, status: 'pending', stages: [{ stage: 'pending', shard }] }
          : { txId, status: 'unknown', stages };
      }
      stages.push({ stage: 'final', shard, height: location.height, index: location.index });
      const emitted: Receipt | undefined = (store.getBlockReceipts(location.height) ?? []).find(
        (receipt) => receipt.kind === 'credit' && bytesToHex(receipt.txId) === bytesToHex(txId),
      );
      const result: TransactionStatus = { txId, status: 'final', stages };
      if (!emitted) return result;
      result.targetShard = emitted.targetShard;
      const remote = await remoteStatus(emitted.targetShard, txId);
      if (remote) {
        stages.push({
          stage: remote.stage === 'refused' ? 'refused' : 'credited',
          shard: emitted.targetShard,
          height: remote.height,
          receiptId: remote.receiptId,
        });
      }
      const local = store.getTxStatus(txId);
      if (local?.stage === 'refunded') {
        stages.push({ stage: 'refunded', shard, height: local.height, receiptId: local.receiptId });
      }
      result.status = stages[stages.length - 1]!.stage;
      return result;
    },

    latestHeight: () => chain.height(),
    getBlock: (height) => store.getBlock(height),
    getHeader: (height) => store.getHeader(height),
    getCertificate: (height) => store.getCertificate(height),
    getBlockReceipts: (height) =>
      store.getHeader(height) === undefined ? undefined : (store.getBlockReceipts(height) ?? []),

    getReceipt(receiptIdValue) {
      const located = store.getReceipt(receiptIdValue);
      if (!located) return undefined;
      const receipts = store.getBlockReceipts(located.height) ?? [];
      return {
        receipt: located.receipt,
        header: store.getHeader(located.height)!,
        certificate: store.getCertificate(located.height)!,
        proof: receiptInclusionProof(receipts, located.index),
      };
    },

    networkInfo() {
      return {
        chainId: network.chainId,
        shard,
        validatorIndex,
        height: chain.height(),
        round: driver?.round() ?? 0,
        shards: network.committees.map((c) => ({
          id: c.shard,
          validators: c.validators.length,
          ...(c.shard === shard ? { height: chain.height() } : {}),
        })),
        peers: host?.connectedPeers().length ?? 0,
      };
    },

    onCommittedBlock(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    stats(): NodeStats {
      return {
        height: chain.height(),
        round: driver?.round() ?? 0,
        lastBlockIntervalMs: stats.lastBlockIntervalMs,
        transactionsCommitted: stats.transactionsCommitted,
        blocksCommitted: stats.blocksCommitted,
        mempoolSize: mempool.size(),
        peers: host?.connectedPeers().length ?? 0,
        signatureChecks: verifier.checked(),
        receiptsRelayed: stats.receiptsRelayed,
      };
    },
  };
  return node;
}

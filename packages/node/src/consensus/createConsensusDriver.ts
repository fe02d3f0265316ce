import {
  type ConsensusAction,
  type ConsensusEngine,
  type ConsensusEvent,
  type ConsensusSigner,
  type ConsensusTimeouts,
  createConsensusEngine,
  decodeWalRecord,
  encodeWalRecord,
  type GossipMessage,
  restoreConsensusEngine,
  type Step,
  walRecordHeight,
} from '@shardpay/consensus';
import { bytesToHex, isShardpayError } from '@shardpay/crypto';
import type {
  Block,
  CommitCertificate,
  Committee,
  DuplicateVoteEvidence,
  Hash,
  Proposal,
  Vote,
} from '@shardpay/protocol';
import { isProposalSignatureValid, isVoteSignatureValid } from '@shardpay/protocol';
import type { BuiltBlock, CommittedBlock, ShardChain } from '../chain/createShardChain.ts';

export interface ConsensusDriverOptions {
  committee: Committee;
  validatorIndex: number;
  timeouts: ConsensusTimeouts;
  /** When there is nothing to include, wait this long before proposing an (empty) block. */
  idleIntervalMs: number;
  /** Never propose sooner than this after the previous commit, so transactions batch. */
  minIntervalMs: number;
}

export interface ConsensusDriverDependencies {
  chain: ShardChain;
  signer: ConsensusSigner;
  /** Builds a block to propose from the mempool and the incoming receipts. */
  buildBlock(height: bigint, round: number): BuiltBlock;
  /** Whether there is anything to include right now (transactions or receipts). */
  hasWork(): boolean;
  publishProposal(proposal: Proposal, block: Block): void;
  publishVote(vote: Vote): void;
  onCommitted(committed: CommittedBlock): void;
  /** A message or certificate shows the shard is ahead of this node. */
  onBehind(height: bigint): void;
  onEvidence(evidence: DuplicateVoteEvidence): void;
  /** Called with the reason just before a message is judged 'reject' (for the node's log). */
  onRejected?(reason: string): void;
  log(event: string, fields?: Record<string, unknown>): void;
  nowMs(): number;
}

/** Block bodies held for undecided heights, at most. */
const MAX_CANDIDATES = 256;

export type MessageVerdict = 'accept' | 'reject' | 'ignore';

export interface ConsensusDriver {
  start(): void;
  stop(): void;
  onProposal(proposal: Proposal, block: Block): MessageVerdict;
  onVote(vote: Vote): MessageVerdict;
  /** Block sync: a validated block with its certificate at the engine's height. */
  onSyncedBlock(block: Block, hash: Hash, certificate: CommitCertificate): void;
  /** Signed messages to re-send so that peers that missed them still see the 2f+1 sets. */
  messagesForGossip(): Array<{ message: GossipMessage; block?: Block }>;
  height(): bigint;
  round(): number;
}

/**
 * Drives the consensus engine of one validator: feeds it peers' messages, timeouts and the
 * application's answers, and executes its actions in order — the WAL write (durable) before the
 * message it records leaves the process.
 */
export function createConsensusDriver(
  options: ConsensusDriverOptions,
  deps: ConsensusDriverDependencies,
): ConsensusDriver {
  const { chain } = deps;
  const engineConfig = {
    chainId: chain.config.chainId,
    shard: chain.shard,
    committee: options.committee,
    validatorIndex: options.validatorIndex,
    timeouts: options.timeouts,
  };
  let engine: ConsensusEngine | undefined;
  const queue: ConsensusEvent[] = [];
  let draining = false;
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  /** Block bodies seen for heights not yet committed, by hash. */
  const candidates = new Map<string, Block>();
  /** Hashes whose validity the engine asked for before the body arrived. */
  const awaitingValidity = new Set<string>();
  let lastCommitAt = deps.nowMs();

  function later(delayMs: number, run: () => void): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) run();
    }, delayMs);
    timers.add(timer);
  }

  function dispatch(event: ConsensusEvent): void {
    queue.push(event);
    drain();
  }

  /** Runs queued events (and the events their actions queue) to completion, one at a time. */
  function drain(): void {
    if (draining) return;
    draining = true;
    try {
      while (queue.length > 0 && !stopped) {
        const next = queue.shift()!;
        const actions = engine!.handle(next);
        for (const action of actions) execute(action);
      }
    } finally {
      draining = false;
    }
  }

  function answerValidity(height: bigint, hash: Hash, block: Block): void {
    let valid = true;
    try {
      chain.validate(block, { nowMs: BigInt(deps.nowMs()) });
    } catch (error) {
      if (!isShardpayError(error)) throw error;
      valid = false;
      deps.log('block_invalid', {
        height: height.toString(),
        hash: bytesToHex(hash),
        reason: error.meta.reason ?? error.code,
      });
    }
    queue.push({ type: 'blockValidity', height, blockHash: hash, valid });
  }

  function execute(action: ConsensusAction): void {
    switch (action.type) {
      case 'persistWal':
        chain.store.appendWal(walRecordHeight(action.record), encodeWalRecord(action.record));
        return;
      case 'broadcastProposal': {
        const block = candidates.get(bytesToHex(action.proposal.blockHash));
        if (block) deps.publishProposal(action.proposal, block);
        return;
      }
      case 'broadcastVote':
        deps.publishVote(action.vote);
        return;
      case 'scheduleTimeout': {
        const { height, round, step } = action;
        later(action.durationMs, () => dispatch({ type: 'timeout', height, round, step: step as Step }));
        return;
      }
      case 'requestValidity': {
        const key = bytesToHex(action.blockHash);
        const block = candidates.get(key);
        if (block) answerValidity(action.height, action.blockHash, block);
        else awaitingValidity.add(key);
        return;
      }
      case 'requestBlock':
        scheduleProposal(action.height, action.round);
        return;
      case 'commit':
        commit(action.height, action.blockHash, action.certificate);
        return;
      case 'reportEvidence':
        deps.onEvidence(action.evidence);
        return;
    }
  }

  function scheduleProposal(height: bigint, round: number): void {
    const sinceCommit = deps.nowMs() - lastCommitAt;
    const delay = deps.hasWork()
      ? Math.max(0, options.minIntervalMs - sinceCommit)
      : Math.max(0, options.idleIntervalMs - sinceCommit);
    const propose = () => {
      const snapshot = engine!.snapshot();
      if (snapshot.height !== height || snapshot.round !== round) return;
      // Mid-idle-wait work arrived: propose now rather than at the end of the wait.
      const built = deps.buildBlock(height, round);
      candidates.set(bytesToHex(built.hash), built.block);
      dispatch({ type: 'blockToPropose', height, round, blockHash: built.hash });
    };
    if (delay === 0) {
      // Answer after the current action list, so the engine sees its own request first.
      later(0, propose);
      return;
    }
    const deadline = deps.nowMs() + delay;
    const poll = () => {
      if (
        deps.nowMs() >= deadline ||
        (deps.hasWork() && deps.nowMs() - lastCommitAt >= options.minIntervalMs)
      ) {
        propose();
      } else later(Math.min(25, Math.max(1, deadline - deps.nowMs())), poll);
    };
    later(Math.min(25, delay), poll);
  }

  function commit(height: bigint, hash: Hash, certificate: CommitCertificate): void {
    if (chain.height() >= height) return;
    const block = candidates.get(bytesToHex(hash));
    if (!block) {
      // Decided without the body (cannot happen with honest gossip): fetch it by block sync.
      deps.log('commit_without_body', { height: height.toString() });
      deps.onBehind(height);
      return;
    }
    let committed: CommittedBlock;
    try {
      committed = chain.commit(block, certificate);
    } catch (error) {
      if (!isShardpayError(error)) throw error;
      // The body held for this hash does not execute (a peer relayed a forged body under an honest
      // header id): fetch the committed block from the shard by block sync instead.
      candidates.delete(bytesToHex(hash));
      deps.log('commit_failed', { height: height.toString(), code: error.code, reason: error.meta.reason });
      deps.onBehind(height);
      return;
    }
    lastCommitAt = deps.nowMs();
    chain.store.pruneWal(height);
    for (const [key, candidate] of candidates) if (candidate.header.height <= height) candidates.delete(key);
    awaitingValidity.clear();
    deps.onCommitted(committed);
  }

  function rejected(reason: string): MessageVerdict {
    deps.onRejected?.(reason);
    return 'reject';
  }

  /**
   * The engine throws CONSENSUS_MESSAGE_INVALID only for what no honest validator signs or relays
   * (wrong chain or shard, malformed fields, the wrong proposer for the round, a bad signature);
   * anything else that fails here is this node's business, not the relaying peer's.
   */
  function verdictOf(error: unknown): MessageVerdict {
    if (isShardpayError(error) && error.code === 'CONSENSUS_MESSAGE_INVALID') {
      return rejected(`${error.code}/${String(error.meta.reason ?? 'unknown')}`);
    }
    if (isShardpayError(error)) return 'ignore';
    throw error;
  }

  /**
   * A message for a height beyond the next one means this node is behind — if it is signed by a
   * committee member (the engine does not look at such messages, so check here): 'reject' for a
   * forgery, otherwise start block sync and 'ignore' (nothing to relay for the engine).
   */
  function verdictForFutureHeight(
    message: { type: 'vote'; vote: Vote } | { type: 'proposal'; proposal: Proposal },
  ): MessageVerdict {
    const signed = message.type === 'vote' ? message.vote : message.proposal;
    const index = message.type === 'vote' ? message.vote.validatorIndex : message.proposal.proposerIndex;
    const publicKey = options.committee.validators[index]?.publicKey;
    const valid =
      publicKey !== undefined &&
      (message.type === 'vote'
        ? isVoteSignatureValid(message.vote, publicKey)
        : isProposalSignatureValid(message.proposal, publicKey));
    if (!valid) return rejected(publicKey === undefined ? 'unknown_validator' : 'bad_signature');
    deps.onBehind(signed.height);
    return 'ignore';
  }

  return {
    start() {
      const height = chain.height() + 1n;
      const walRecords = chain.store.readWal(height).map(decodeWalRecord);
      if (walRecords.length > 0) {
        const restored = restoreConsensusEngine(
          engineConfig,
          { signer: deps.signer },
          { height, walRecords },
        );
        engine = restored.engine;
        deps.log('consensus_restored', { height: height.toString(), walRecords: walRecords.length });
        for (const action of restored.actions) execute(action);
        drain();
      } else {
        engine = createConsensusEngine(engineConfig, { signer: deps.signer });
        dispatch({ type: 'start', height });
      }
    },

    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },

    onProposal(proposal, block) {
      if (!engine) return 'ignore';
      if (proposal.height <= chain.height()) return 'ignore';
      if (proposal.height > chain.height() + 1n)
        return verdictForFutureHeight({ type: 'proposal', proposal });
      const key = bytesToHex(proposal.blockHash);
      // Keep the first body seen for a hash (a relayed copy never replaces it), and a bounded number.
      if (!candidates.has(key) && candidates.size < MAX_CANDIDATES) candidates.set(key, block);
      try {
        dispatch({ type: 'proposal', proposal });
        if (awaitingValidity.delete(key) && proposal.height === chain.height() + 1n) {
          answerValidity(proposal.height, proposal.blockHash, block);
          drain();
        }
        return 'accept';
      } catch (error) {
        return verdictOf(error);
      }
    },

    onVote(vote) {
      if (!engine) return 'ignore';
      if (vote.height <= chain.height()) return 'ignore';
      if (vote.height > chain.height() + 1n) return verdictForFutureHeight({ type: 'vote', vote });
      try {
        dispatch({ type: 'vote', vote });
        return 'accept';
      } catch (error) {
        return verdictOf(error);
      }
    },

    onSyncedBlock(block, hash, certificate) {
      if (!engine || block.header.height !== chain.height() + 1n) return;
      candidates.set(bytesToHex(hash), block);
      if (engine.snapshot().height > block.header.height) {
        // The engine decided this height but the commit found no body, or one that did not execute
        // (`commit_without_body`, `commit_failed`): a restarted proposer's WAL holds its proposal but
        // not the block. The engine has moved on and ignores a catch-up for a decided height, so
        // commit the synced block here, or the chain would stay one height behind its engine forever.
        commit(block.header.height, hash, certificate);
        return;
      }
      dispatch({ type: 'committedBlock', height: block.header.height, blockHash: hash, certificate });
    },

    messagesForGossip() {
      if (!engine) return [];
      return engine.messagesForGossip().map((message) => {
        if (message.type !== 'proposal') return { message };
        const block = candidates.get(bytesToHex(message.proposal.blockHash));
        return block ? { message, block } : { message };
      });
    },

    height: () => engine?.snapshot().height ?? chain.height() + 1n,
    round: () => engine?.snapshot().round ?? 0,
  };
}

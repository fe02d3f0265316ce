import { bytesToHex, equalBytes, ShardpayError } from '@shardpay/crypto';
import type { Hash, Proposal, Vote, VoteType } from '@shardpay/protocol';
import { faultTolerance, proposerIndex, quorumSize, verifyCommitCertificate } from '@shardpay/protocol';
import { buildCommitCertificate } from './buildCommitCertificate.ts';
import type { ConsensusAction, GossipMessage } from './ConsensusAction.ts';
import type { ConsensusConfig } from './ConsensusConfig.ts';
import { resolveConsensusConfig, timeoutDurationMs } from './ConsensusConfig.ts';
import type { ConsensusEvent, Step } from './ConsensusEvent.ts';
import type { ConsensusSigner } from './ConsensusSigner.ts';
import type { HeightLog } from './HeightLog.ts';
import { createHeightLog, NIL_KEY } from './HeightLog.ts';
import type { SignatureVerifier } from './SignatureVerifier.ts';
import { protocolSignatureVerifier } from './SignatureVerifier.ts';
import type { WalRecord } from './WalRecord.ts';
import { walRecordHeight, walRecordStep } from './WalRecord.ts';

export interface ConsensusDependencies {
  /** Signs this validator's proposals and votes (the engine never holds the key itself). */
  signer: ConsensusSigner;
  /** Checks peers' signatures; defaults to protocol's. Unused when `signaturesPreverified`. */
  verifier?: SignatureVerifier;
}

/** The engine's state, for drivers, metrics and tests. */
export interface ConsensusSnapshot {
  started: boolean;
  height: bigint;
  round: number;
  step: Step;
  lockedValue: Hash | null;
  lockedRound: number;
  validValue: Hash | null;
  validRound: number;
}

/** Tendermint (Buchman, Kwon, Milosevic 2018, Algorithm 1) as a pure state machine: events in, actions out. */
export interface ConsensusEngine {
  /** Takes one event and returns the actions to execute, in order. Throws only on invalid input. */
  handle(event: ConsensusEvent): ConsensusAction[];
  snapshot(): ConsensusSnapshot;
  /**
   * What to re-send periodically so peers that missed messages still reach the 2f+1 sets: this
   * validator's proposals, its votes of the last two rounds and its non-nil prevotes at this height,
   * the proposals of the current round and of the valid round, and the prevotes of that polka.
   */
  messagesForGossip(): GossipMessage[];
}

/** A rule firing more often than this on one event is an engine bug (a guard that does not hold). */
const MAX_RULE_PASSES = 100_000;

const STEP_ORDER: Readonly<Record<Step, number>> = { propose: 0, prevote: 1, precommit: 2 };

function isHash(value: unknown): value is Hash {
  return value instanceof Uint8Array && value.length === 32;
}

function messageInvalid(reason: string, message: string, meta: Record<string, unknown> = {}): ShardpayError {
  return new ShardpayError('CONSENSUS_MESSAGE_INVALID', message, { meta: { reason, ...meta } });
}

function stateInvalid(reason: string, message: string, meta: Record<string, unknown> = {}): ShardpayError {
  return new ShardpayError('CONSENSUS_STATE_INVALID', message, { meta: { reason, ...meta } });
}

function walInvalid(reason: string, message: string): ShardpayError {
  return new ShardpayError('CONSENSUS_WAL_INVALID', message, { meta: { reason } });
}

function ownKey(round: number, step: Step): string {
  return `${round}/${step}`;
}

function broadcastOf(record: WalRecord): ConsensusAction {
  return record.type === 'proposal'
    ? { type: 'broadcastProposal', proposal: record.proposal }
    : { type: 'broadcastVote', vote: record.vote };
}

function sameRecord(a: WalRecord, b: WalRecord): boolean {
  if (a.type === 'proposal' && b.type === 'proposal') {
    return (
      a.proposal.validRound === b.proposal.validRound &&
      equalBytes(a.proposal.blockHash, b.proposal.blockHash)
    );
  }
  if (a.type === 'vote' && b.type === 'vote') {
    const [x, y] = [a.vote.blockHash, b.vote.blockHash];
    return x === null || y === null ? x === y : equalBytes(x, y);
  }
  return false;
}

/**
 * Creates an engine for one validator of one shard. Feed it `start` (or `restore` after a restart)
 * and then every proposal, vote, timeout and application answer; execute the actions it returns.
 * The rule numbers in comments are those of /work/shared/TENDERMINT.md (docs/consensus.md).
 */
export function createConsensusEngine(config: ConsensusConfig, deps: ConsensusDependencies): ConsensusEngine {
  const settings = resolveConsensusConfig(config);
  const { chainId, shard, committee, validatorIndex: self, timeouts, faults } = settings;
  const n = committee.validators.length;
  const quorum = quorumSize(n);
  const roundSkipThreshold = faultTolerance(n) + 1;
  const verifier = deps.verifier ?? protocolSignatureVerifier;
  const { signer } = deps;

  let started = false;
  let height = 0n;
  let round = 0;
  let step: Step = 'propose';
  let lockedValue: Hash | null = null;
  let lockedRound = -1;
  let validValue: Hash | null = null;
  let validRound = -1;
  let log = createHeightLog(0n);
  /** Messages for height + 1 that arrive before this validator decides: kept, replayed on entry. */
  let nextLog = createHeightLog(1n);
  /** What this validator signed at this height, by (round, step): never signed twice. */
  const own = new Map<string, WalRecord>();
  /** The application's answers at this height, by block hash (hex). */
  const validity = new Map<string, boolean>();
  const validityRequested = new Set<string>();
  // The "for the first time" guards of rules 3, 4 and 6, per round of this height.
  const prevoteTimeoutRounds = new Set<number>();
  const polkaRounds = new Set<number>();
  const precommitTimeoutRounds = new Set<number>();

  function isProposer(h: bigint, r: number): boolean {
    return proposerIndex(h, r, n) === self;
  }

  function scheduleTimeout(timeoutStep: Step, r: number, out: ConsensusAction[]): void {
    const durationMs = timeoutDurationMs(timeouts, timeoutStep, r);
    out.push({ type: 'scheduleTimeout', height, round: r, step: timeoutStep, durationMs });
  }

  function requestValidity(blockHash: Hash, out: ConsensusAction[]): void {
    const key = bytesToHex(blockHash);
    if (validity.has(key) || validityRequested.has(key)) return;
    validityRequested.add(key);
    out.push({ type: 'requestValidity', height, blockHash });
  }

  function isValid(blockHash: Hash): boolean | undefined {
    return validity.get(bytesToHex(blockHash));
  }

  /** Signs at most once per (round, step): a second request re-sends what was signed. */
  function signOnce(key: string, sign: () => WalRecord, out: ConsensusAction[]): WalRecord {
    let record = own.get(key);
    if (record === undefined) {
      record = sign();
      own.set(key, record);
      out.push({ type: 'persistWal', record });
    }
    out.push(broadcastOf(record));
    return record;
  }

  function propose(r: number, blockHash: Hash, proposalValidRound: number, out: ConsensusAction[]): void {
    const record = signOnce(
      ownKey(r, 'propose'),
      () => ({
        type: 'proposal',
        proposal: signer.signProposal({
          chainId,
          shard,
          height,
          round: r,
          validRound: proposalValidRound,
          blockHash,
          proposerIndex: self,
        }),
      }),
      out,
    );
    if (record.type === 'proposal') {
      // The application built it (or it is our valid value): no need to ask about it.
      validity.set(bytesToHex(record.proposal.blockHash), true);
      log.addProposal(record.proposal);
    }
  }

  function castVote(type: VoteType, blockHash: Hash | null, out: ConsensusAction[]): void {
    const record = signOnce(
      ownKey(round, type),
      () => ({
        type: 'vote',
        vote: signer.signVote({ chainId, shard, height, round, type, blockHash, validatorIndex: self }),
      }),
      out,
    );
    if (record.type === 'vote') log.addVote(record.vote);
  }

  function resetHeight(h: bigint): void {
    height = h;
    round = 0;
    step = 'propose';
    lockedValue = null;
    lockedRound = -1;
    validValue = null;
    validRound = -1;
    log = nextLog.height === h ? nextLog : createHeightLog(h);
    nextLog = createHeightLog(h + 1n);
    own.clear();
    validity.clear();
    validityRequested.clear();
    prevoteTimeoutRounds.clear();
    polkaRounds.clear();
    precommitTimeoutRounds.clear();
    started = true;
  }

  function enterHeight(h: bigint, out: ConsensusAction[]): void {
    resetHeight(h);
    startRound(0, out);
    for (const r of log.rounds()) {
      for (const proposal of log.proposals(r)) requestValidity(proposal.blockHash, out);
    }
  }

  /** StartRound(r): the proposer proposes its valid value or asks for a new block. */
  function startRound(r: number, out: ConsensusAction[]): void {
    round = r;
    step = 'propose';
    if (isProposer(height, r)) {
      // Only a restored engine can already hold a proposal for this round; it was re-sent then.
      if (own.has(ownKey(r, 'propose'))) {
        // Nothing to sign: the restored proposal stands.
      } else if (validValue !== null) propose(r, validValue, validRound, out);
      else out.push({ type: 'requestBlock', height, round: r });
    }
    // The paper schedules this for non-proposers only; the proposer gets it too, so that an
    // application that never answers `requestBlock` cannot stall the round.
    scheduleTimeout('propose', r, out);
  }

  function decide(r: number, blockHash: Hash, out: ConsensusAction[]): void {
    const certificate = buildCommitCertificate({
      chainId,
      shard,
      height,
      round: r,
      blockHash,
      precommits: log.votesFor(r, 'precommit', blockHash),
    });
    out.push({ type: 'commit', height, round: r, blockHash, certificate, source: 'consensus' });
    enterHeight(height + 1n, out);
  }

  function isLockCompatible(blockHash: Hash, allowedFromRound: number): boolean {
    if (faults.ignoreLock) return true;
    return lockedRound <= allowedFromRound || (lockedValue !== null && equalBytes(lockedValue, blockHash));
  }

  /** Fires the first rule whose guard holds; returns whether one fired (the caller loops). */
  function applyOneRule(out: ConsensusAction[]): boolean {
    // Rule 7 — decide: a proposal v of any round r plus 2f+1 precommits for id(v) in r.
    for (const r of log.rounds()) {
      if (log.total(r, 'precommit') < quorum) continue;
      for (const proposal of log.proposals(r)) {
        if (
          log.count(r, 'precommit', bytesToHex(proposal.blockHash)) >= quorum &&
          isValid(proposal.blockHash)
        ) {
          decide(r, proposal.blockHash, out);
          return true;
        }
      }
    }

    if (step === 'propose') {
      for (const proposal of log.proposals(round)) {
        const valid = isValid(proposal.blockHash);
        if (valid === undefined) continue;
        const vr = proposal.validRound;
        // Rule 1 — new proposal: lockedRound = -1 (i.e. ≤ -1) or lockedValue = v.
        // Rule 2 — re-proposal with 0 ≤ vr < round and a polka for v in vr: lockedRound ≤ vr or lockedValue = v.
        // The polka in vr is the one this proposal claims, so double-signers' claimed prevotes count (HeightLog).
        const applies =
          vr === -1 || (vr < round && log.claimedPolkaCount(vr, bytesToHex(proposal.blockHash)) >= quorum);
        if (!applies) continue;
        castVote(
          'prevote',
          valid && isLockCompatible(proposal.blockHash, vr) ? proposal.blockHash : null,
          out,
        );
        step = 'prevote';
        return true;
      }
    }

    // Rule 4 — polka for this round's proposal v, valid(v), step ≥ prevote, the first time.
    if (STEP_ORDER[step] >= STEP_ORDER.prevote && !polkaRounds.has(round)) {
      for (const proposal of log.proposals(round)) {
        const key = bytesToHex(proposal.blockHash);
        if (log.count(round, 'prevote', key) < quorum || isValid(proposal.blockHash) !== true) continue;
        polkaRounds.add(round);
        if (step === 'prevote') {
          lockedValue = proposal.blockHash;
          lockedRound = round;
          castVote('precommit', proposal.blockHash, out);
          step = 'precommit';
        }
        validValue = proposal.blockHash;
        validRound = round;
        return true;
      }
    }

    // Rule 5 — nil polka.
    if (step === 'prevote' && log.count(round, 'prevote', NIL_KEY) >= quorum) {
      castVote('precommit', null, out);
      step = 'precommit';
      return true;
    }

    // Rule 3 — any 2f+1 prevotes, the first time.
    if (step === 'prevote' && !prevoteTimeoutRounds.has(round) && log.total(round, 'prevote') >= quorum) {
      prevoteTimeoutRounds.add(round);
      scheduleTimeout('prevote', round, out);
      return true;
    }

    // Rule 6 — any 2f+1 precommits, the first time.
    if (!precommitTimeoutRounds.has(round) && log.total(round, 'precommit') >= quorum) {
      precommitTimeoutRounds.add(round);
      scheduleTimeout('precommit', round, out);
      return true;
    }

    // Rule 8 — f+1 validators are in a later round: join the latest such round.
    let skipTo = -1;
    for (const r of log.rounds()) {
      if (r > round && log.senderCount(r) >= roundSkipThreshold) skipTo = r;
    }
    if (skipTo > round) {
      startRound(skipTo, out);
      return true;
    }
    return false;
  }

  /** Fires rules until none applies. Every rule changes a guard, so this ends; the bound catches a bug. */
  function runRules(out: ConsensusAction[]): void {
    for (let passes = 0; started && applyOneRule(out); passes += 1) {
      if (passes > MAX_RULE_PASSES) {
        throw stateInvalid('rules_did_not_settle', `rules fired ${passes} times on one event`);
      }
    }
  }

  function assertChainAndShard(message: { chainId: string; shard: number }): void {
    if (message.chainId !== chainId)
      throw messageInvalid('wrong_chain', `message for chain ${message.chainId}`);
    if (message.shard !== shard) throw messageInvalid('wrong_shard', `message for shard ${message.shard}`);
  }

  /** The log a message of `h`/`r` belongs in, or undefined when it is stale or too far ahead. */
  function logFor(h: bigint, r: number): HeightLog | undefined {
    if (h === height) return r <= round + settings.maxRoundsAhead ? log : undefined;
    if (h === height + 1n) return r <= settings.maxRoundsAhead ? nextLog : undefined;
    return undefined;
  }

  function onProposal(proposal: Proposal, out: ConsensusAction[]): boolean {
    assertChainAndShard(proposal);
    const { height: h, round: r, validRound: vr } = proposal;
    if (typeof h !== 'bigint' || !Number.isInteger(r) || r < 0) {
      throw messageInvalid('invalid_height_or_round', 'proposal height or round is malformed');
    }
    if (!Number.isInteger(vr) || vr < -1 || vr >= r) {
      throw messageInvalid('invalid_valid_round', `valid round ${vr} is not in -1..${r - 1}`);
    }
    if (!isHash(proposal.blockHash)) throw messageInvalid('invalid_block_hash', 'a block hash is 32 bytes');
    if (!started) return false;
    const target = logFor(h, r);
    if (target === undefined) return false;
    if (proposal.proposerIndex !== proposerIndex(h, r, n)) {
      throw messageInvalid(
        'wrong_proposer',
        `validator ${proposal.proposerIndex} is not the proposer of round ${r}`,
        {
          proposerIndex: proposal.proposerIndex,
        },
      );
    }
    if (target.hasProposal(proposal)) return false;
    const publicKey = committee.validators[proposal.proposerIndex]?.publicKey;
    if (
      !settings.signaturesPreverified &&
      (publicKey === undefined || !verifier.isProposalValid(proposal, publicKey))
    ) {
      throw messageInvalid('bad_signature', 'the proposal signature does not verify');
    }
    if (target.addProposal(proposal) !== 'added') return false;
    if (target === log) requestValidity(proposal.blockHash, out);
    return true;
  }

  function onVote(vote: Vote, out: ConsensusAction[]): boolean {
    assertChainAndShard(vote);
    const { height: h, round: r } = vote;
    if (typeof h !== 'bigint' || !Number.isInteger(r) || r < 0) {
      throw messageInvalid('invalid_height_or_round', 'vote height or round is malformed');
    }
    if (vote.type !== 'prevote' && vote.type !== 'precommit')
      throw messageInvalid('invalid_type', 'unknown vote type');
    if (vote.blockHash !== null && !isHash(vote.blockHash)) {
      throw messageInvalid('invalid_block_hash', 'a block hash is 32 bytes');
    }
    const publicKey = committee.validators[vote.validatorIndex]?.publicKey;
    if (!Number.isInteger(vote.validatorIndex) || publicKey === undefined) {
      throw messageInvalid('unknown_validator', `no validator ${vote.validatorIndex} in the committee`);
    }
    if (!started) return false;
    const target = logFor(h, r);
    if (target === undefined || target.hasVote(vote)) return false;
    if (!settings.signaturesPreverified && !verifier.isVoteValid(vote, publicKey)) {
      throw messageInvalid('bad_signature', 'the vote signature does not verify', {
        validatorIndex: vote.validatorIndex,
      });
    }
    const result = target.addVote(vote);
    if (result.kind === 'conflict' && result.evidence !== null) {
      out.push({ type: 'reportEvidence', evidence: result.evidence });
    }
    return result.kind === 'added' || (result.kind === 'conflict' && result.countsForClaim);
  }

  function onTimeout(h: bigint, r: number, timeoutStep: Step, out: ConsensusAction[]): void {
    if (!started || h !== height || r !== round) return;
    if (timeoutStep === 'propose' && step === 'propose') {
      castVote('prevote', null, out);
      step = 'prevote';
    } else if (timeoutStep === 'prevote' && step === 'prevote') {
      castVote('precommit', null, out);
      step = 'precommit';
    } else if (timeoutStep === 'precommit') {
      startRound(r + 1, out);
    }
  }

  function onBlockToPropose(h: bigint, r: number, blockHash: Hash, out: ConsensusAction[]): void {
    if (!isHash(blockHash)) throw stateInvalid('invalid_block_hash', 'a block hash is 32 bytes');
    const answersThisRound = started && h === height && r === round && step === 'propose' && isProposer(h, r);
    if (!answersThisRound || own.has(ownKey(r, 'propose'))) return;
    propose(r, blockHash, -1, out);
  }

  function onCommittedBlock(
    event: Extract<ConsensusEvent, { type: 'committedBlock' }>,
    out: ConsensusAction[],
  ): void {
    if (!started) throw stateInvalid('not_started', 'start or restore the engine first');
    if (event.height < height) return;
    if (event.height > height) {
      throw stateInvalid('height_gap', `the engine is at height ${height}, not ${event.height}`, {
        height,
        committedHeight: event.height,
      });
    }
    verifyCommitCertificate(event.certificate, committee, {
      chainId,
      shard,
      height: event.height,
      blockHash: event.blockHash,
    });
    const { certificate, blockHash } = event;
    out.push({ type: 'commit', height, round: certificate.round, blockHash, certificate, source: 'catchUp' });
    enterHeight(height + 1n, out);
  }

  function assertStartable(h: bigint): void {
    if (started) throw stateInvalid('already_started', 'the engine has already started');
    if (typeof h !== 'bigint' || h < 1n) throw stateInvalid('invalid_height', 'heights start at 1');
  }

  /**
   * Rebuilds the state of height `h` from this validator's own signed messages: the latest round it
   * signed in, the step after its last signature there, and its lock (its highest non-nil
   * precommit: only rule 4 precommits a value, and it locks that value). Everything signed is
   * re-sent as it was; the received messages are lost and come back through peers' gossip.
   */
  function onRestore(h: bigint, walRecords: readonly WalRecord[], out: ConsensusAction[]): void {
    assertStartable(h);
    const records = walRecords.filter((record) => walRecordHeight(record) === h);
    const restored = new Map<string, WalRecord>();
    for (const record of records) {
      const message = record.type === 'proposal' ? record.proposal : record.vote;
      const signerIndex =
        record.type === 'proposal' ? record.proposal.proposerIndex : record.vote.validatorIndex;
      if (message.chainId !== chainId || message.shard !== shard || signerIndex !== self) {
        throw walInvalid('foreign_record', 'a WAL record is not this validator’s, or not this chain’s');
      }
      const { round: r, step: recordStep } = walRecordStep(record);
      const key = ownKey(r, recordStep);
      const previous = restored.get(key);
      if (previous !== undefined && !sameRecord(previous, record)) {
        throw walInvalid(
          'conflicting_records',
          `two different signed messages for round ${r} step ${recordStep}`,
        );
      }
      restored.set(key, record);
    }

    resetHeight(h);
    let latestRound = 0;
    for (const record of restored.values()) latestRound = Math.max(latestRound, walRecordStep(record).round);
    for (const [key, record] of restored) {
      own.set(key, record);
      if (record.type === 'proposal') {
        log.addProposal(record.proposal);
        validity.set(bytesToHex(record.proposal.blockHash), true);
      } else {
        log.addVote(record.vote);
        // A non-nil vote is only ever signed for a block the application judged valid.
        if (record.vote.blockHash !== null) validity.set(bytesToHex(record.vote.blockHash), true);
        const isLock = record.vote.type === 'precommit' && record.vote.blockHash !== null;
        if (isLock && record.vote.round > lockedRound) {
          lockedValue = record.vote.blockHash;
          lockedRound = record.vote.round;
        }
      }
      out.push(broadcastOf(record));
    }
    // A lock is a polka this validator saw, so it is also a valid value and round.
    validValue = lockedValue;
    validRound = lockedRound;
    round = latestRound;
    if (own.has(ownKey(round, 'precommit'))) step = 'precommit';
    else if (own.has(ownKey(round, 'prevote'))) step = 'prevote';
    else startRound(round, out);
  }

  function handle(event: ConsensusEvent): ConsensusAction[] {
    const out: ConsensusAction[] = [];
    switch (event.type) {
      case 'start':
        assertStartable(event.height);
        enterHeight(event.height, out);
        break;
      case 'restore':
        onRestore(event.height, event.walRecords, out);
        break;
      case 'proposal':
        if (!onProposal(event.proposal, out)) return out;
        break;
      case 'vote':
        if (!onVote(event.vote, out)) return out;
        break;
      case 'timeout':
        onTimeout(event.height, event.round, event.step, out);
        break;
      case 'blockValidity':
        if (!started || event.height !== height || !isHash(event.blockHash)) return out;
        validity.set(bytesToHex(event.blockHash), event.valid);
        break;
      case 'blockToPropose':
        onBlockToPropose(event.height, event.round, event.blockHash, out);
        break;
      case 'committedBlock':
        onCommittedBlock(event, out);
        break;
    }
    runRules(out);
    return out;
  }

  function messagesForGossip(): GossipMessage[] {
    if (!started) return [];
    const messages: GossipMessage[] = [];
    for (const record of own.values()) {
      if (record.type === 'proposal') {
        messages.push(record);
      } else if (
        record.vote.round >= round - 1 ||
        (record.vote.type === 'prevote' && record.vote.blockHash !== null)
      ) {
        messages.push(record);
      }
    }
    const others: Proposal[] = [];
    const current = log.proposals(round)[0];
    if (current !== undefined) others.push(current);
    if (validValue !== null && validRound >= 0 && validRound !== round) {
      const value = validValue;
      const valid = log.proposals(validRound).find((p) => equalBytes(p.blockHash, value));
      if (valid !== undefined) others.push(valid);
    }
    for (const proposal of others) {
      if (proposal.proposerIndex !== self) messages.push({ type: 'proposal', proposal });
    }
    // The polka behind the valid value: relayed, so a validator that a double-signer lied to still
    // sees it and can accept the re-proposal (the paper assumes correct processes relay what they get).
    if (validValue !== null && validRound >= 0) {
      for (const vote of log.claimedPolkaVotes(validRound, validValue)) {
        if (vote.validatorIndex !== self) messages.push({ type: 'vote', vote });
      }
    }
    return messages;
  }

  return {
    handle,
    snapshot: () => ({ started, height, round, step, lockedValue, lockedRound, validValue, validRound }),
    messagesForGossip,
  };
}

/** Creates an engine and restores it from its WAL in one call: `{engine, actions}` to execute. */
export function restoreConsensusEngine(
  config: ConsensusConfig,
  deps: ConsensusDependencies,
  restore: { height: bigint; walRecords: readonly WalRecord[] },
): { engine: ConsensusEngine; actions: ConsensusAction[] } {
  const engine = createConsensusEngine(config, deps);
  const actions = engine.handle({ type: 'restore', height: restore.height, walRecords: restore.walRecords });
  return { engine, actions };
}

import { bytesToHex, sha256, utf8ToBytes } from '@shardpay/crypto';
import type { CommitCertificate, Hash, Proposal, Vote } from '@shardpay/protocol';
import { proposerIndex, signProposal, signVote } from '@shardpay/protocol';
import type { Prng } from './createPrng.ts';
import type { Outgoing, SimMessage } from './SimMessage.ts';
import type { SimBlock } from './simBlock.ts';
import { simBlockHash } from './simBlock.ts';

/**
 * How a Byzantine validator misbehaves. Each one runs a real engine (so it keeps taking part) and
 * its application calls every block valid; the strategy rewrites what it sends:
 * - equivocatingProposer: as proposer, a different block to each half of the committee;
 * - doubleVoter: each vote comes with a conflicting one (another block or nil) sent to other peers;
 * - invalidBlocks: proposes blocks the honest application refuses, votes for them, and answers
 *   block sync with forged certificates;
 * - twins: two instances hold one key (set up by the simulator; each behaves honestly);
 * - lockBreaker: as proposer in round r, hides its proposal and prevote from the next proposer and
 *   sends its precommit for the block to one validator only (nil to the others), so that one
 *   decides while the rest move on to round r + 1 locked; its own engine ignores locks. Harmless against correct validators, it turns the
 *   test-only `ignoreLock` fault into a safety violation quickly.
 */
export type ByzantineStrategyName =
  | 'equivocatingProposer'
  | 'doubleVoter'
  | 'invalidBlocks'
  | 'twins'
  | 'lockBreaker';

export const BYZANTINE_STRATEGIES: readonly ByzantineStrategyName[] = [
  'equivocatingProposer',
  'doubleVoter',
  'invalidBlocks',
  'twins',
  'lockBreaker',
];

export interface ByzantineContext {
  prng: Prng;
  chainId: string;
  shard: number;
  n: number;
  validatorIndex: number;
  privateKey: Uint8Array;
  /** Node ids of every other node (twins included). */
  peers: readonly number[];
  validatorOf(node: number): number;
  /** Builds and keeps a block body (so it can be sent with proposals and sync). */
  makeBlock(height: bigint, round: number, invalid: boolean): SimBlock;
}

export interface ByzantineBehavior {
  readonly name: ByzantineStrategyName;
  /** Its application proposes blocks the honest application refuses. */
  readonly buildsInvalidBlocks: boolean;
  /** Its engine prevotes whatever it likes, locks or not. */
  readonly ignoresLocks: boolean;
  /** Turns one broadcast of its engine into what each peer actually receives. */
  broadcast(message: SimMessage): Outgoing[];
  /** Sees what it receives (to pick values to equivocate with). */
  observe(message: SimMessage): void;
  /** A forged answer to a peer's status, or null to answer honestly. */
  forgeSync(peerHeight: bigint): SimMessage | null;
}

function toAll(peers: readonly number[], message: SimMessage): Outgoing[] {
  return peers.map((to) => ({ to, message }));
}

/** Splits peers into two non-empty groups at random (or one group when there is a single peer). */
function splitPeers(prng: Prng, peers: readonly number[]): [number[], number[]] {
  const shuffled = prng.shuffle(peers);
  const cut = shuffled.length < 2 ? shuffled.length : prng.int(1, shuffled.length - 1);
  return [shuffled.slice(0, cut), shuffled.slice(cut)];
}

/** Creates the behavior of one Byzantine validator. */
export function createByzantineBehavior(
  name: ByzantineStrategyName,
  context: ByzantineContext,
): ByzantineBehavior {
  const { prng, peers, privateKey } = context;
  /** Per-message plans, so re-sends (gossip) repeat the same lie to the same peer. */
  const plans = new Map<string, Outgoing[]>();
  const seenBlocks = new Map<string, Hash[]>();

  function planned(key: string, make: () => Outgoing[]): Outgoing[] {
    let plan = plans.get(key);
    if (plan === undefined) {
      plan = make();
      plans.set(key, plan);
    }
    return plan;
  }

  function signAlternativeProposal(proposal: Proposal): { proposal: Proposal; block: SimBlock } {
    const block = context.makeBlock(proposal.height, proposal.round, prng.chance(0.3));
    const alternative = signProposal({ ...proposal, blockHash: simBlockHash(block) }, privateKey);
    return { proposal: alternative, block };
  }

  function conflictingValue(vote: Vote): Hash | null {
    const known = (seenBlocks.get(`${vote.height}/${vote.round}`) ?? []).filter(
      (hash) => vote.blockHash === null || bytesToHex(hash) !== bytesToHex(vote.blockHash),
    );
    if (vote.blockHash !== null && (known.length === 0 || prng.chance(0.5))) return null;
    if (known.length > 0) return prng.pick(known);
    return sha256(utf8ToBytes(`made-up:${vote.height}:${vote.round}:${prng.nextUint32()}`));
  }

  function equivocatingProposer(message: SimMessage): Outgoing[] {
    if (message.kind !== 'proposal') return toAll(peers, message);
    const { height, round } = message.proposal;
    return planned(`p/${height}/${round}`, () => {
      const [first, second] = splitPeers(prng, peers);
      const alternative = signAlternativeProposal(message.proposal);
      return [
        ...first.map((to) => ({ to, message })),
        ...second.map((to) => ({ to, message: { kind: 'proposal' as const, ...alternative } })),
      ];
    });
  }

  function doubleVoter(message: SimMessage): Outgoing[] {
    if (message.kind !== 'vote') return toAll(peers, message);
    const { height, round, type } = message.vote;
    return planned(`v/${height}/${round}/${type}`, () => {
      const [first, second] = splitPeers(prng, peers);
      const other = signVote({ ...message.vote, blockHash: conflictingValue(message.vote) }, privateKey);
      return [
        ...first.map((to) => ({ to, message })),
        ...second.map((to) => ({ to, message: { kind: 'vote' as const, vote: other } })),
      ];
    });
  }

  /** Rounds this validator proposed in, with the peers that may hear it and what each gets as its precommit. */
  const attacks = new Map<string, { targets: number[]; precommits: Outgoing[] }>();

  function lockBreaker(message: SimMessage): Outgoing[] {
    if (message.kind === 'proposal') {
      const { height, round, blockHash } = message.proposal;
      const key = `${height}/${round}`;
      const next = proposerIndex(height, round + 1, context.n);
      const targets = peers.filter((peer) => context.validatorOf(peer) !== next);
      if (targets.length === 0) return toAll(peers, message);
      if (!attacks.has(key)) {
        // Precommits signed at once, without waiting for a polka: the block to one validator, so it
        // alone can decide; nil to the rest, so they see 2f+1 precommits (rule 6) and move on to
        // round r + 1 before block sync reaches them.
        const decider = prng.pick(targets);
        const body = {
          ...message.proposal,
          type: 'precommit' as const,
          validatorIndex: context.validatorIndex,
        };
        const forBlock = signVote({ ...body, blockHash }, privateKey);
        const nil = signVote({ ...body, blockHash: null }, privateKey);
        const precommits = peers.map((to) => ({
          to,
          message: { kind: 'vote' as const, vote: to === decider ? forBlock : nil },
        }));
        attacks.set(key, { targets, precommits });
        return [...targets.map((to) => ({ to, message })), ...precommits];
      }
    }
    if (message.kind === 'proposal' || message.kind === 'vote') {
      const { height, round } = message.kind === 'proposal' ? message.proposal : message.vote;
      const attack = attacks.get(`${height}/${round}`);
      if (attack !== undefined) {
        if (message.kind === 'vote' && message.vote.type === 'precommit') return attack.precommits;
        return attack.targets.map((to) => ({ to, message }));
      }
    }
    return toAll(peers, message);
  }

  function forgeSync(peerHeight: bigint): SimMessage | null {
    if (name !== 'invalidBlocks' || !prng.chance(0.5)) return null;
    const block = context.makeBlock(peerHeight, 0, true);
    const blockHash = simBlockHash(block);
    const precommit = signVote(
      {
        chainId: context.chainId,
        shard: context.shard,
        height: peerHeight,
        round: 0,
        type: 'precommit',
        blockHash,
        validatorIndex: context.validatorIndex,
      },
      privateKey,
    );
    // Its own signature plus made-up ones: a quorum by count, forged by content.
    const signatures = Array.from({ length: context.n }, (_, validatorIndex) => ({
      validatorIndex,
      signature: validatorIndex === context.validatorIndex ? precommit.signature : prng.bytes(64),
    }));
    const certificate: CommitCertificate = {
      chainId: context.chainId,
      shard: context.shard,
      height: peerHeight,
      round: 0,
      blockHash,
      signatures,
    };
    return { kind: 'sync', block, certificate };
  }

  const rewrite: Record<ByzantineStrategyName, (message: SimMessage) => Outgoing[]> = {
    equivocatingProposer,
    doubleVoter,
    invalidBlocks: (message) => toAll(peers, message),
    twins: (message) => toAll(peers, message),
    lockBreaker,
  };

  return {
    name,
    buildsInvalidBlocks: name === 'invalidBlocks',
    ignoresLocks: name === 'lockBreaker',
    broadcast: rewrite[name],
    observe(message) {
      if (message.kind !== 'proposal') return;
      const key = `${message.proposal.height}/${message.proposal.round}`;
      const hashes = seenBlocks.get(key) ?? [];
      if (hashes.length < 4) hashes.push(message.proposal.blockHash);
      seenBlocks.set(key, hashes);
    },
    forgeSync,
  };
}

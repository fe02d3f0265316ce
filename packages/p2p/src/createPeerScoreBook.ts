import { p2pError } from './P2PErrorCode.ts';

/**
 * Why a peer is penalized. Each reason has a default weight (`DEFAULT_PENALTIES`); a node may
 * add its own judgement (a sync response that fails verification) with `invalid-response`.
 */
export type PenaltyReason =
  | 'invalid-message'
  | 'oversized-message'
  | 'oversized-frame'
  | 'malformed-request'
  | 'invalid-response'
  | 'misbehaviour';

/** Points subtracted per offence. With the default ban threshold of -100, ten rejected messages ban. */
export const DEFAULT_PENALTIES: Readonly<Record<PenaltyReason, number>> = {
  'invalid-message': 10,
  'oversized-message': 25,
  'oversized-frame': 25,
  'malformed-request': 20,
  'invalid-response': 20,
  misbehaviour: 50,
};

export interface PeerScoringOptions {
  /** Points per offence; missing reasons use `DEFAULT_PENALTIES`. */
  penalties: Partial<Record<PenaltyReason, number>>;
  /** A score at or below this bans the peer. Negative. */
  banThreshold: number;
  /** How long a ban lasts; afterwards the peer starts again from 0. */
  banDurationMs: number;
  /** A score halves every `halfLifeMs`, so rare mistakes are forgiven and repeated ones are not. */
  halfLifeMs: number;
  /** Bound on remembered peers; the least negative are forgotten first. */
  maxTrackedPeers: number;
  /**
   * Lowest score of a protected peer (see `isProtected`); default `banThreshold × 0.3`, above the
   * thresholds at which gossipsub stops gossiping to, publishing to or listening to a peer.
   */
  protectedScoreFloor?: number;
}

export const DEFAULT_PEER_SCORING: Readonly<PeerScoringOptions> = {
  penalties: {},
  banThreshold: -100,
  banDurationMs: 10 * 60_000,
  halfLifeMs: 5 * 60_000,
  maxTrackedPeers: 10_000,
};

export interface PenaltyResult {
  /** The score after the penalty. */
  score: number;
  /** True when this penalty crossed the threshold and started a ban. */
  bannedNow: boolean;
}

export interface BanEntry {
  peer: string;
  untilMs: number;
  reason: PenaltyReason;
}

export interface PeerScoreBook {
  /** The peer's current (decayed) score; 0 for unknown peers. */
  score(peer: string): number;
  /** Lowers the peer's score by the reason's weight (or `points`); bans it at the threshold. */
  penalize(peer: string, reason: PenaltyReason, points?: number): PenaltyResult;
  /** Bans a peer now, whatever its score (protected or not: an explicit decision). */
  ban(peer: string, reason: PenaltyReason, durationMs?: number): void;
  /** True while a ban is in force. */
  isBanned(peer: string): boolean;
  /** Bans in force. */
  bans(): BanEntry[];
}

interface ScoreEntry {
  value: number;
  atMs: number;
}

export interface PeerScoreBookDependencies {
  now: () => number;
  /**
   * Peers whose penalties are recorded but never ban them, their score floored at
   * `protectedScoreFloor`: a validator's own committee, where cutting off one honest member that
   * this node misjudged would stall a small shard for the whole ban.
   */
  isProtected?: (peer: string) => boolean;
}

/** A peer score table with exponential decay and a ban list with expiry; time comes from `now`. */
export function createPeerScoreBook(
  options: Partial<PeerScoringOptions> = {},
  deps: PeerScoreBookDependencies = { now: Date.now },
): PeerScoreBook {
  const config: PeerScoringOptions = { ...DEFAULT_PEER_SCORING, ...options };
  const penalties: Record<PenaltyReason, number> = { ...DEFAULT_PENALTIES, ...config.penalties };
  const protectedFloor = config.protectedScoreFloor ?? config.banThreshold * 0.3;
  if (
    !(config.banThreshold < 0) ||
    !(config.banDurationMs >= 0) ||
    !(config.halfLifeMs > 0) ||
    !(protectedFloor > config.banThreshold && protectedFloor <= 0)
  ) {
    throw p2pError(
      'P2P_INVALID_OPTIONS',
      'peer scoring needs banThreshold < 0, banDurationMs >= 0, halfLifeMs > 0, banThreshold < protectedScoreFloor <= 0',
      {
        banThreshold: config.banThreshold,
        banDurationMs: config.banDurationMs,
        halfLifeMs: config.halfLifeMs,
        protectedScoreFloor: protectedFloor,
      },
    );
  }
  const scores = new Map<string, ScoreEntry>();
  const banned = new Map<string, BanEntry>();

  function decayed(entry: ScoreEntry, nowMs: number): number {
    const elapsed = Math.max(0, nowMs - entry.atMs);
    return entry.value * 2 ** (-elapsed / config.halfLifeMs);
  }

  function activeBan(peer: string, nowMs: number): BanEntry | undefined {
    const entry = banned.get(peer);
    if (entry === undefined) return undefined;
    if (entry.untilMs > nowMs) return entry;
    // Expired: the peer starts over.
    banned.delete(peer);
    scores.delete(peer);
    return undefined;
  }

  function forgetMildest(): void {
    if (scores.size <= config.maxTrackedPeers) return;
    const nowMs = deps.now();
    const ranked = [...scores].map(([peer, entry]) => [peer, decayed(entry, nowMs)] as const);
    ranked.sort((a, b) => b[1] - a[1]);
    for (const [peer] of ranked.slice(0, scores.size - config.maxTrackedPeers)) scores.delete(peer);
  }

  function ban(peer: string, reason: PenaltyReason, durationMs = config.banDurationMs): void {
    banned.set(peer, { peer, untilMs: deps.now() + durationMs, reason });
    if (banned.size > config.maxTrackedPeers) {
      // Bound memory against peers that churn identities: drop the ban that ends soonest.
      let soonest: BanEntry | undefined;
      for (const entry of banned.values()) if (!soonest || entry.untilMs < soonest.untilMs) soonest = entry;
      if (soonest) banned.delete(soonest.peer);
    }
  }

  return {
    score(peer) {
      const nowMs = deps.now();
      if (activeBan(peer, nowMs)) return config.banThreshold;
      const entry = scores.get(peer);
      return entry === undefined ? 0 : decayed(entry, nowMs);
    },
    penalize(peer, reason, points = penalties[reason]) {
      const nowMs = deps.now();
      if (activeBan(peer, nowMs)) return { score: config.banThreshold, bannedNow: false };
      const entry = scores.get(peer);
      const lowered = (entry === undefined ? 0 : decayed(entry, nowMs)) - Math.max(0, points);
      if (deps.isProtected?.(peer)) {
        const value = Math.max(lowered, protectedFloor);
        scores.set(peer, { value, atMs: nowMs });
        return { score: value, bannedNow: false };
      }
      const value = lowered;
      scores.set(peer, { value, atMs: nowMs });
      forgetMildest();
      if (value <= config.banThreshold) {
        ban(peer, reason);
        return { score: value, bannedNow: true };
      }
      return { score: value, bannedNow: false };
    },
    ban,
    isBanned(peer) {
      return activeBan(peer, deps.now()) !== undefined;
    },
    bans() {
      const nowMs = deps.now();
      return [...banned.keys()].flatMap((peer) => {
        const entry = activeBan(peer, nowMs);
        return entry ? [{ ...entry }] : [];
      });
    },
  };
}

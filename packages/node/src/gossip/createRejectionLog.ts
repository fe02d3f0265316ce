/** What a rejected gossip message was and who relayed it; never its bytes. */
export interface GossipRejection {
  /** Topic kind: tx, consensus, headers, receipts. */
  kind: string;
  /** The error code or the check that failed (`CONSENSUS_MESSAGE_INVALID/bad_signature`, `block_hash_mismatch`). */
  reason: string;
  /** The relaying peer (penalized for it, unless it is protected). */
  peer: string;
}

export interface RejectionLogOptions {
  /** At most one line per (kind, reason, peer) per interval; the rest are counted. Default 10 s. */
  intervalMs?: number;
  /** Bound on remembered keys, so a flood of distinct peers cannot grow memory. Default 1024. */
  maxKeys?: number;
}

/**
 * A rate-limited `gossip_rejected` log: a rejection penalizes a peer, and a wrong one can ban an
 * honest validator, so each must be visible — but a hostile peer must not be able to flood the log.
 * Each line carries the rejections of the same key that were suppressed since the previous one.
 *
 * @example
 *   const rejected = createRejectionLog(log, Date.now);
 *   rejected({ kind: 'consensus', reason: 'block_hash_mismatch', peer });
 */
export function createRejectionLog(
  log: (event: string, fields: Record<string, unknown>) => void,
  now: () => number,
  options: RejectionLogOptions = {},
): (rejection: GossipRejection) => void {
  const intervalMs = options.intervalMs ?? 10_000;
  const maxKeys = options.maxKeys ?? 1024;
  const lastLine = new Map<string, { atMs: number; suppressed: number }>();
  return (rejection) => {
    const key = `${rejection.kind}\u0000${rejection.reason}\u0000${rejection.peer}`;
    const nowMs = now();
    const entry = lastLine.get(key);
    if (entry !== undefined && nowMs - entry.atMs < intervalMs) {
      entry.suppressed += 1;
      return;
    }
    if (entry === undefined && lastLine.size >= maxKeys) {
      // Forget the oldest key (Map order is insertion order): at worst one extra line later.
      const oldest = lastLine.keys().next().value;
      if (oldest !== undefined) lastLine.delete(oldest);
    }
    lastLine.delete(key);
    lastLine.set(key, { atMs: nowMs, suppressed: 0 });
    log('gossip_rejected', { ...rejection, suppressed: entry?.suppressed ?? 0 });
  };
}

export interface BootstrapTarget {
  /** Base58 peer id taken from the address's `/p2p/` part. */
  peer: string;
  /** The full multiaddr, `/p2p/` included, so the dial authenticates the peer. */
  address: string;
}

export interface BootstrapDialerOptions {
  /** Delay before the second attempt; doubles per failure. */
  initialDelayMs: number;
  /** Cap on the delay between attempts. */
  maxDelayMs: number;
}

export const DEFAULT_BOOTSTRAP_DIALER: Readonly<BootstrapDialerOptions> = {
  initialDelayMs: 250,
  maxDelayMs: 15_000,
};

export interface BootstrapDialerDeps {
  dial(address: string): Promise<void>;
  isConnected(peer: string): boolean;
  /** Banned or not allowed: no dial, check again later. */
  isBlocked(peer: string): boolean;
  onError?(error: unknown, target: BootstrapTarget): void;
}

export interface BootstrapDialer {
  start(): void;
  stop(): void;
  /** Called on disconnect: redial the peer now if it is a bootstrap target. */
  peerDisconnected(peer: string): void;
}

interface TargetState {
  target: BootstrapTarget;
  delayMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  dialing: boolean;
}

/**
 * Keeps dialing each bootstrap address until connected, with exponential backoff, and dials
 * again when the connection drops, so a validator rejoins its committee after restarts on
 * either side.
 */
export function createBootstrapDialer(
  targets: readonly BootstrapTarget[],
  options: BootstrapDialerOptions,
  deps: BootstrapDialerDeps,
): BootstrapDialer {
  const states = new Map<string, TargetState>();
  for (const target of targets) {
    states.set(target.peer, { target, delayMs: options.initialDelayMs, timer: undefined, dialing: false });
  }
  let running = false;

  function schedule(state: TargetState, delayMs: number): void {
    if (!running || state.timer !== undefined) return;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void attempt(state);
    }, delayMs);
  }

  async function attempt(state: TargetState): Promise<void> {
    if (!running || state.dialing) return;
    const { peer } = state.target;
    if (deps.isConnected(peer)) {
      state.delayMs = options.initialDelayMs;
      return; // peerDisconnected() wakes us up again
    }
    if (deps.isBlocked(peer)) {
      schedule(state, options.maxDelayMs);
      return;
    }
    state.dialing = true;
    try {
      await deps.dial(state.target.address);
      state.delayMs = options.initialDelayMs;
    } catch (error) {
      if (running) deps.onError?.(error, state.target);
      const delay = state.delayMs;
      state.delayMs = Math.min(options.maxDelayMs, state.delayMs * 2);
      state.dialing = false;
      schedule(state, delay);
      return;
    }
    state.dialing = false;
    // A connection that dropped while we were dialing would otherwise go unnoticed.
    if (!deps.isConnected(peer)) schedule(state, state.delayMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      for (const state of states.values()) schedule(state, 0);
    },
    stop() {
      running = false;
      for (const state of states.values()) {
        if (state.timer !== undefined) clearTimeout(state.timer);
        state.timer = undefined;
      }
    },
    peerDisconnected(peer) {
      const state = states.get(peer);
      if (state) schedule(state, state.delayMs);
    },
  };
}

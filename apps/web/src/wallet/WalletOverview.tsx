import type { GatewayChainTransaction, GatewayWalletBalance } from '@shardpay/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { type UnlockedWallet, useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd } from '../ui/money.ts';

const DIRECTION_WORDS: Record<GatewayChainTransaction['direction'], string> = {
  sent: 'Sent',
  received: 'Received',
  self: 'Moved',
};

const OPERATION_WORDS: Partial<Record<string, string>> = {
  mint: 'Bought',
  burn: 'Cashed out',
  pay: 'Paid',
};

function describeEntry(entry: GatewayChainTransaction): string {
  if (entry.operation === 'mint' && entry.direction === 'received') return OPERATION_WORDS.mint ?? 'Bought';
  if (entry.operation === 'burn') return OPERATION_WORDS.burn ?? 'Cashed out';
  if (entry.operation === 'pay' && entry.direction === 'sent') return OPERATION_WORDS.pay ?? 'Paid';
  return DIRECTION_WORDS[entry.direction];
}

function counterparty(entry: GatewayChainTransaction): string | null {
  const other = entry.direction === 'sent' ? entry.to : entry.from;
  return other === null || entry.operation === 'mint' || entry.operation === 'burn' ? null : other;
}

const PAGE_SIZE = 20;

const entryKey = (entry: GatewayChainTransaction) => `${entry.tx_id}-${entry.direction}`;

/** Page one (fresh) followed by the older pages loaded so far, each entry once. */
function mergeEntries(
  first: GatewayChainTransaction[],
  older: GatewayChainTransaction[],
): GatewayChainTransaction[] {
  const seen = new Set(first.map(entryKey));
  return [...first, ...older.filter((entry) => !seen.has(entryKey(entry)))];
}

/**
 * The open wallet: its address, balance and history from the gateway, refreshed whenever the
 * gateway's event stream (WebSocket) reports something for this account.
 */
export function WalletOverview({ wallet }: { wallet: UnlockedWallet }) {
  const { gateway } = useApp();
  const [balance, setBalance] = useState<GatewayWalletBalance | null>(null);
  const [history, setHistory] = useState<GatewayChainTransaction[] | null>(null);
  // Pages before the first one, loaded on request ("Show older"); the live refresh redoes page one.
  const [older, setOlder] = useState<GatewayChainTransaction[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const olderLoaded = useRef(0);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [nextBalance, page] = await Promise.all([
        gateway.walletBalance(wallet.walletId),
        gateway.walletTransactions(wallet.walletId, { limit: PAGE_SIZE }),
      ]);
      setBalance(nextBalance);
      setHistory(page.data);
      // Once older pages are shown, "more" is about the last of them, not page one.
      if (olderLoaded.current === 0) setHasMore(page.has_more);
      setError(null);
    } catch (failure) {
      setError(describeError(failure));
    }
  }, [gateway, wallet.walletId]);

  const entries = history === null ? null : mergeEntries(history, older);

  const showOlder = async () => {
    const last = entries?.at(-1);
    if (last === undefined) return;
    setLoadingOlder(true);
    try {
      const page = await gateway.walletTransactions(wallet.walletId, {
        limit: PAGE_SIZE,
        startingAfter: last.tx_id,
      });
      olderLoaded.current += page.data.length;
      setOlder((current) => [...current, ...page.data]);
      setHasMore(page.has_more);
      setError(null);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoadingOlder(false);
    }
  };

  useEffect(() => {
    void refresh();
    const stream = gateway.streamEvents({
      onReady: () => setLive(true),
      onEvent: () => void refresh(),
      onError: () => setLive(false),
    });
    return () => stream.close();
  }, [gateway, refresh]);

  return (
    <>
      <section aria-labelledby="balance-heading" className="card">
        <h2 id="balance-heading">Balance</h2>
        <p className="balance">{balance === null ? '…' : formatUsd(balance.available)}</p>
        <p className="address" title="Your address">
          {wallet.account.address}
        </p>
        <p className="hint">
          Shard {wallet.account.shard}.{' '}
          {live ? 'Live: updates appear as they happen.' : 'Connecting for live updates…'}
        </p>
        <div className="actions">
          <Link className="button" to="/wallet/send">
            Send
          </Link>
          <Link className="button" to="/wallet/receive">
            Receive
          </Link>
          <Link className="button secondary" to="/buy">
            Buy
          </Link>
          <Link className="button secondary" to="/cashout">
            Cash out
          </Link>
        </div>
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        {entries === null ? (
          <Status>Loading your history…</Status>
        ) : entries.length === 0 ? (
          <p>No payments yet. Buy some dollars or share your address to receive some.</p>
        ) : (
          <ul className="history">
            {entries.map((entry) => {
              const other = counterparty(entry);
              return (
                <li key={entryKey(entry)}>
                  <span className="what">{describeEntry(entry)}</span>
                  <span className={entry.direction === 'sent' ? 'amount out' : 'amount in'}>
                    {entry.direction === 'sent' ? '−' : '+'}
                    {formatUsd(entry.amount)}
                  </span>
                  <span className="when">{new Date(entry.timestamp * 1000).toLocaleString()}</span>
                  {other === null ? null : <span className="who">{other}</span>}
                  {entry.status === undefined ? null : (
                    <span className="state">{entry.status.replace('_', ' ')}</span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {hasMore ? (
          <button
            type="button"
            className="secondary"
            disabled={loadingOlder}
            onClick={() => void showOlder()}
          >
            {loadingOlder ? 'Loading older payments…' : 'Show older payments'}
          </button>
        ) : null}
      </section>
      <Alert message={error} />
    </>
  );
}

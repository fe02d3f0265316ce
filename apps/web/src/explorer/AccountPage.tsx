import { verifyAccountProofResponse } from '@shardpay/sdk';
import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd } from '../ui/money.ts';
import { explorerClient } from './explorerClient.ts';
import { formatTime, shortHex, stageWords } from './format.ts';
import { useLoaded } from './useLoaded.ts';
import { VerifyPanel } from './VerifyPanel.tsx';
import './explorer.css';

/** `/explorer/accounts/:address`: balance, nonce and history of any address, and its balance verified here. */
export default function AccountPage() {
  const address = useParams().address ?? '';
  const { gateway, network } = useApp();
  const account = useLoaded(useCallback(() => gateway.account(address), [address, gateway]));
  const history = useLoaded(
    useCallback(() => gateway.accountTransactions(address, { limit: 20 }), [address, gateway]),
  );
  const verify = async () => {
    const [answer, config] = await Promise.all([explorerClient().accountProof(address), network()]);
    return verifyAccountProofResponse(answer, config);
  };
  return (
    <section className="explorer">
      <p className="crumbs">
        <Link to="/explorer">Explorer</Link> › Account
      </p>
      <h1>Account</h1>
      <p className="mono wrap">{address}</p>
      {account.loading ? <Status>Loading the account…</Status> : null}
      <Alert message={account.error} />
      {account.value === null ? null : (
        <div className="card">
          <p className="balance" data-testid="account-balance">
            {formatUsd(account.value.balance)}
          </p>
          <dl className="facts">
            <dt>Home shard</dt>
            <dd>
              <Link to={`/explorer/shards/${account.value.shard}`}>Shard {account.value.shard}</Link>
            </dd>
            <dt>Next nonce</dt>
            <dd>{account.value.nonce}</dd>
            <dt>As of height</dt>
            <dd>{account.value.height}</dd>
          </dl>
        </div>
      )}
      {account.value === null ? null : <VerifyPanel label="Verify balance" verify={verify} />}
      <div className="card">
        <h2>History</h2>
        <Alert message={history.error} />
        {history.value !== null && history.value.data.length === 0 ? <p>No transactions yet.</p> : null}
        <ul className="items">
          {(history.value?.data ?? []).map((tx) => (
            <li key={`${tx.tx_id}-${tx.direction}`}>
              <Link to={`/explorer/tx/${tx.tx_id}`} className="mono">
                {shortHex(tx.tx_id)}
              </Link>{' '}
              {tx.operation} {tx.direction} <strong>{formatUsd(tx.amount)}</strong>
              <span className="muted">
                {' '}
                {formatTime(tx.timestamp)}, block {tx.height} of shard {tx.shard}
                {tx.status === undefined ? '' : `, ${stageWords(tx.status).toLowerCase()}`}
              </span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

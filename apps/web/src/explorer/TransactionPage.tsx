import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Status } from '../ui/Messages.tsx';
import { explorerClient } from './explorerClient.ts';
import { shortHex, stageWords } from './format.ts';
import { StageList } from './StageList.tsx';
import { useLoaded } from './useLoaded.ts';
import './explorer.css';

/**
 * `/explorer/tx/:txId`: a transaction's stages (pending → final → credited, or refused → refunded),
 * each with its shard and height, and its cross-shard receipt when it has one.
 */
export default function TransactionPage() {
  const txId = useParams().txId ?? '';
  const loaded = useLoaded(useCallback(() => explorerClient().transaction(txId), [txId]));
  const tx = loaded.value;
  return (
    <section className="explorer">
      <p className="crumbs">
        <Link to="/explorer">Explorer</Link> › Transaction
      </p>
      <h1>Transaction</h1>
      <p className="mono wrap">{txId}</p>
      {loaded.loading ? <Status>Loading the transaction…</Status> : null}
      <Alert message={loaded.error} />
      {tx === null ? null : (
        <>
          <div className="card">
            <dl className="facts">
              <dt>Status</dt>
              <dd data-testid="tx-status">{stageWords(tx.status)}</dd>
              <dt>From shard</dt>
              <dd>
                <Link to={`/explorer/shards/${tx.shard}`}>Shard {tx.shard}</Link>
              </dd>
              <dt>To shard</dt>
              <dd>
                {tx.target_shard === null ? (
                  'the same shard'
                ) : (
                  <Link to={`/explorer/shards/${tx.target_shard}`}>Shard {tx.target_shard}</Link>
                )}
              </dd>
            </dl>
          </div>
          <div className="card">
            <h2>Stages</h2>
            <StageList stages={tx.stages} />
            {tx.receipt_id === undefined || tx.receipt_id === null ? null : (
              <p>
                <Link to={`/explorer/receipts/${tx.shard}/${tx.receipt_id}`}>
                  Its cross-shard receipt {shortHex(tx.receipt_id)}
                </Link>
              </p>
            )}
          </div>
        </>
      )}
    </section>
  );
}

import { bytesToHex } from '@shardpay/crypto';
import { quorumSize } from '@shardpay/protocol';
import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd } from '../ui/money.ts';
import { explorerClient } from './explorerClient.ts';
import { formatTime, shortHex } from './format.ts';
import { useLoaded } from './useLoaded.ts';
import './explorer.css';

/** `/explorer/shards/:shard/blocks/:height`: a block's header, transactions, receipts and who signed it. */
export default function BlockPage() {
  const params = useParams();
  const shard = Number(params.shard);
  const height = params.height ?? 'latest';
  const { network } = useApp();
  const loaded = useLoaded(
    useCallback(async () => {
      const [block, config] = await Promise.all([explorerClient().block(shard, height), network()]);
      return { block, config };
    }, [shard, height, network]),
  );
  const block = loaded.value?.block;
  const committee = loaded.value?.config.committees.find((c) => c.shard === shard);
  const below = block === undefined ? null : BigInt(block.height) - 1n;
  return (
    <section className="explorer">
      <p className="crumbs">
        <Link to="/explorer">Explorer</Link> › <Link to={`/explorer/shards/${shard}`}>Shard {shard}</Link> ›
        Block {block?.height ?? height}
      </p>
      <h1>
        Block {block?.height ?? height} of shard {shard}
      </h1>
      {loaded.loading ? <Status>Loading the block…</Status> : null}
      <Alert message={loaded.error} />
      {block === undefined ? null : (
        <>
          <nav aria-label="Neighbouring blocks" className="actions">
            {below !== null && below >= 1n ? (
              <Link to={`/explorer/shards/${shard}/blocks/${below}`}>Previous block ({String(below)})</Link>
            ) : null}
            <Link to={`/explorer/shards/${shard}/blocks/${BigInt(block.height) + 1n}`}>
              Next block ({String(BigInt(block.height) + 1n)})
            </Link>
          </nav>
          <div className="card">
            <h2>Header</h2>
            <dl className="facts">
              <dt>Time</dt>
              <dd>{formatTime(block.time)}</dd>
              <dt>Hash</dt>
              <dd className="mono">{block.hash}</dd>
              <dt>Parent</dt>
              <dd className="mono">{block.parent_hash}</dd>
              <dt>State root</dt>
              <dd className="mono">{block.state_root}</dd>
              <dt>Receipts root</dt>
              <dd className="mono">{block.header.receiptsRoot}</dd>
              <dt>Transactions root</dt>
              <dd className="mono">{block.header.txRoot}</dd>
              <dt>Proposer</dt>
              <dd>{typeof block.proposer === 'number' ? `Validator ${block.proposer}` : block.proposer}</dd>
            </dl>
          </div>
          <div className="card">
            <h2>Transactions ({block.transactions.length})</h2>
            {block.transactions.length === 0 ? <p>No transactions in this block.</p> : null}
            <ul className="items">
              {block.transactions.map((tx) => (
                <li key={tx.tx_id}>
                  <Link to={`/explorer/tx/${tx.tx_id}`} className="mono">
                    {shortHex(tx.tx_id)}
                  </Link>{' '}
                  <span>{tx.op}</span>
                  {tx.amount === null ? null : <strong> {formatUsd(tx.amount)}</strong>}
                  <span className="muted mono">
                    {' '}
                    from <Link to={`/explorer/accounts/${tx.from}`}>{shortHex(tx.from, 12)}</Link>
                    {tx.to === null ? null : (
                      <>
                        {' '}
                        to <Link to={`/explorer/accounts/${tx.to}`}>{shortHex(tx.to, 12)}</Link>
                      </>
                    )}
                  </span>
                </li>
              ))}
            </ul>
          </div>
          <div className="card">
            <h2>Cross-shard receipts out ({block.receipts.length})</h2>
            {block.receipts.length === 0 ? <p>This block sent nothing to other shards.</p> : null}
            <ul className="items">
              {block.receipts.map((receipt) => (
                <li key={receipt.receipt_id}>
                  <Link to={`/explorer/receipts/${shard}/${receipt.receipt_id}`} className="mono">
                    Receipt {shortHex(receipt.receipt_id)}
                  </Link>{' '}
                  <strong>{formatUsd(receipt.amount)}</strong> to shard {receipt.target_shard}
                  <span className="muted mono"> for {shortHex(receipt.to, 12)}</span>
                </li>
              ))}
            </ul>
          </div>
          <div className="card">
            <h2>Commit certificate</h2>
            <p>
              Round {block.certificate.round}: {block.certificate.signatures.length} of{' '}
              {committee?.validators.length ?? '?'} validators signed
              {committee === undefined ? '' : ` (a quorum is ${quorumSize(committee.validators.length)})`}.
            </p>
            <ul className="items">
              {block.certificate.signatures.map((signature) => {
                const key = committee?.validators[signature.validatorIndex]?.publicKey;
                return (
                  <li key={signature.validatorIndex} className="mono">
                    Validator {signature.validatorIndex}
                    {key === undefined ? ' (not in the committee)' : `: ${shortHex(bytesToHex(key), 12)}`}
                  </li>
                );
              })}
            </ul>
          </div>
        </>
      )}
    </section>
  );
}

import { bytesToHex } from '@shardpay/crypto';
import { useCallback } from 'react';
import { Link } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { Alert, Status } from '../ui/Messages.tsx';
import { ExplorerSearch } from './ExplorerSearch.tsx';
import { explorerClient } from './explorerClient.ts';
import { shortHex } from './format.ts';
import { useLoaded } from './useLoaded.ts';
import './explorer.css';

/**
 * `/explorer`: every shard with its height, nodes up, and its committee as the genesis names it
 * (the keys the verify buttons check certificates against).
 */
export default function ExplorerHomePage() {
  const { network } = useApp();
  const loaded = useLoaded(
    useCallback(async () => {
      const [status, config] = await Promise.all([explorerClient().network(), network()]);
      return { status, config };
    }, [network]),
  );
  return (
    <section className="explorer">
      <h1>Explorer</h1>
      <p>
        Every shard of the network, its blocks, transactions, accounts and cross-shard receipts. Balances and
        receipts can be verified in this browser against the validators' signatures.
      </p>
      <ExplorerSearch />
      {loaded.loading ? <Status>Loading the shards…</Status> : null}
      <Alert message={loaded.error} />
      {loaded.value === null ? null : (
        <>
          <p>
            Chain <span className="mono">{loaded.value.status.chain_id}</span>,{' '}
            {loaded.value.status.shards.length} shards. <Link to="/network">Live network view</Link>
          </p>
          {loaded.value.status.shards.map((shard) => {
            const committee = loaded.value?.config.committees.find((c) => c.shard === shard.id);
            return (
              <article key={shard.id} className="card" aria-labelledby={`shard-${shard.id}`}>
                <h2 id={`shard-${shard.id}`}>
                  <Link to={`/explorer/shards/${shard.id}`}>Shard {shard.id}</Link>
                </h2>
                <dl className="facts">
                  <dt>Height</dt>
                  <dd data-testid={`shard-${shard.id}-height`}>{shard.height ?? 'not answering'}</dd>
                  <dt>Nodes up</dt>
                  <dd>
                    {shard.nodes_up} of {shard.nodes}
                  </dd>
                  <dt>Validators</dt>
                  <dd>{shard.validators}</dd>
                </dl>
                <h3>Committee (from genesis)</h3>
                <ul className="committee">
                  {(committee?.validators ?? []).map((validator, index) => {
                    const key = bytesToHex(validator.publicKey);
                    return (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a committee's order is its validator index.
                      <li key={index}>
                        <span className="mono" title={key}>
                          Validator {index}: {shortHex(key, 12)}
                        </span>
                        {validator.addresses.length > 0 ? (
                          <span className="muted"> at {validator.addresses.join(', ')}</span>
                        ) : null}
                      </li>
                    );
                  })}
                </ul>
                <p>
                  <Link to={`/explorer/shards/${shard.id}`}>Latest blocks of shard {shard.id}</Link>
                </p>
              </article>
            );
          })}
        </>
      )}
    </section>
  );
}

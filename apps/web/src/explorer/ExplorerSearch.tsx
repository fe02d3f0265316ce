import { isAddress } from '@shardpay/crypto';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApp } from '../app/AppContext.tsx';

/** What a query looks like: an address, a 64-hex transaction id, or a block height. */
type Found = { kind: 'height'; height: string; shards: number } | { kind: 'none' };

function shardNumbers(count: number): number[] {
  return Array.from({ length: count }, (_, shard) => shard);
}

/**
 * One box for an address, a transaction id or a block height. Addresses and ids open their page;
 * a height exists on every shard, so it lists one link per shard.
 */
export function ExplorerSearch() {
  const { network } = useApp();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const search = (event: FormEvent) => {
    event.preventDefault();
    const text = query.trim();
    void network().then(
      (config) => {
        if (isAddress(text, config.addressPrefix)) {
          navigate(`/explorer/accounts/${text}`);
        } else if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) {
          navigate(`/explorer/tx/${text.replace(/^0x/, '').toLowerCase()}`);
        } else if (/^[0-9]{1,19}$/.test(text)) {
          setFound({ kind: 'height', height: String(BigInt(text)), shards: config.shardCount });
        } else {
          setFound({ kind: 'none' });
        }
      },
      () => setFound({ kind: 'none' }),
    );
  };
  return (
    <form className="form search" onSubmit={search}>
      <label htmlFor="explorer-search">Address, transaction id or block height</label>
      <div className="row">
        <input
          id="explorer-search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit">Search</button>
      </div>
      {found?.kind === 'none' ? (
        <p role="alert" className="alert">
          That is not an address, a transaction id (64 hex characters) or a block height.
        </p>
      ) : null}
      {found?.kind === 'height' ? (
        <ul className="search-results">
          {shardNumbers(found.shards).map((shard) => (
            <li key={shard}>
              <Link to={`/explorer/shards/${shard}/blocks/${found.height}`}>
                Block {found.height} of shard {shard}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}

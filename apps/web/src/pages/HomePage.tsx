import { Link } from 'react-router';
import { useApp } from '../app/AppContext.tsx';

/** What Shardpay is, and where to start. */
export default function HomePage() {
  const { loggedIn } = useApp();
  return (
    <section>
      <h1>Shardpay</h1>
      <p>
        A digital dollar you hold yourself: buy it with a debit card, send it to anyone in seconds, and cash
        it out to your bank. Your keys are made and kept in this browser, encrypted with your passphrase.
      </p>
      {loggedIn ? (
        <p>
          <Link className="button" to="/wallet">
            Open your wallet
          </Link>
        </p>
      ) : (
        <p className="actions">
          <Link className="button" to="/signup">
            Create an account
          </Link>
          <Link to="/login">I already have an account</Link>
        </p>
      )}
      <h2>Also here</h2>
      <ul>
        <li>
          <Link to="/merchant">Sell</Link>: open a shop, take payments and escrow orders, and follow invoices,
          refunds and webhooks in the merchant dashboard.
        </li>
        <li>
          <Link to="/explorer">Explorer</Link>: every shard, block, transaction and cross-shard receipt, with
          proofs this browser checks against the validators' signatures.
        </li>
        <li>
          <Link to="/network">Network</Link>: payments per second on each shard, block times, and the dollars
          in the bank reserve against the coins in circulation.
        </li>
      </ul>
    </section>
  );
}

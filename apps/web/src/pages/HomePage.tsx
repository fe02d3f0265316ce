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
    </section>
  );
}

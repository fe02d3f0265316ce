import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { type UnlockedWallet, useApp } from '../app/AppContext.tsx';

/** Shows its children only to a logged-in user; otherwise the way to log in. */
export function RequireLogin({ children }: { children: ReactNode }) {
  const { loggedIn } = useApp();
  if (loggedIn) return children;
  return (
    <p>
      <Link to="/login">Log in</Link> or <Link to="/signup">sign up</Link> to continue.
    </p>
  );
}

/** Renders `children(wallet)` once the wallet is unlocked; otherwise points to the wallet page. */
export function RequireWallet({ children }: { children: (wallet: UnlockedWallet) => ReactNode }) {
  const { wallet } = useApp();
  return (
    <RequireLogin>
      {wallet === null ? (
        <p>
          Your wallet is locked. <Link to="/wallet">Open your wallet</Link> first.
        </p>
      ) : (
        children(wallet)
      )}
    </RequireLogin>
  );
}

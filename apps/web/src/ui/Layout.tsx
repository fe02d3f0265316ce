import type { ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { useApp } from '../app/AppContext.tsx';

/** The nav bar and the page's main landmark. */
export function Layout({ children }: { children: ReactNode }) {
  const { loggedIn, logOut } = useApp();
  const navigate = useNavigate();
  return (
    <>
      <header className="topbar">
        <NavLink to="/" className="brand">
          Shardpay
        </NavLink>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/wallet" end>
                Wallet
              </NavLink>
            </li>
            <li>
              <NavLink to="/wallet/send">Send</NavLink>
            </li>
            <li>
              <NavLink to="/wallet/receive">Receive</NavLink>
            </li>
            <li>
              <NavLink to="/buy">Buy</NavLink>
            </li>
            <li>
              <NavLink to="/cashout">Cash out</NavLink>
            </li>
            <li>
              <NavLink to="/merchant">Merchant</NavLink>
            </li>
            <li>
              <NavLink to="/explorer">Explorer</NavLink>
            </li>
            <li>
              <NavLink to="/network">Network</NavLink>
            </li>
            {loggedIn ? (
              <li>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    void logOut().finally(() => navigate('/'));
                  }}
                >
                  Log out
                </button>
              </li>
            ) : (
              <>
                <li>
                  <NavLink to="/login">Log in</NavLink>
                </li>
                <li>
                  <NavLink to="/signup">Sign up</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </header>
      <main>{children}</main>
    </>
  );
}

import type { NetworkConfig } from '@shardpay/protocol';
import type { GatewayClient, WalletAccount } from '@shardpay/sdk';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { createAppGateway, readStoredTokens } from './createAppGateway.ts';
import { loadNetwork } from './loadNetwork.ts';

/** The open wallet: its signing account (in memory only) and its id on the gateway. */
export interface UnlockedWallet {
  account: WalletAccount;
  walletId: string;
}

export interface AppState {
  gateway: GatewayClient;
  loggedIn: boolean;
  /** The chain's genesis from the gateway, fetched once; wallets derive and sign against it. */
  network: () => Promise<NetworkConfig>;
  wallet: UnlockedWallet | null;
  setWallet: (wallet: UnlockedWallet | null) => void;
  logOut: () => Promise<void>;
}

const AppContext = createContext<AppState | null>(null);

/** Holds the gateway client, the session and the unlocked wallet for every page. */
export function AppProvider({ children }: { children: ReactNode }) {
  // A session restored from sessionStorage counts as logged in until the gateway says otherwise.
  const [loggedIn, setLoggedIn] = useState(() => readStoredTokens() !== null);
  const [gateway] = useState(() => createAppGateway((next) => setLoggedIn(next)));
  const [wallet, setWallet] = useState<UnlockedWallet | null>(null);
  const network = useCallback(() => loadNetwork(gateway), [gateway]);
  const logOut = useCallback(async () => {
    setWallet(null);
    try {
      await gateway.logOut();
    } finally {
      setLoggedIn(false);
    }
  }, [gateway]);
  const value = useMemo<AppState>(
    () => ({ gateway, loggedIn, network, wallet, setWallet, logOut }),
    [gateway, loggedIn, network, wallet, logOut],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (state === null) throw new Error('useApp outside AppProvider');
  return state;
}

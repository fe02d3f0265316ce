import './commerce.css';
import type { GatewayWallet } from '@shardpay/sdk';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { RequireLogin } from '../ui/Guards.tsx';
import { Alert, Status } from '../ui/Messages.tsx';
import { ApiKeysPanel } from './ApiKeysPanel.tsx';
import { InvoicesPanel } from './InvoicesPanel.tsx';
import { createMerchant, listMerchants, type Merchant, merchantApi } from './merchantApi.ts';
import { ProductsPanel } from './ProductsPanel.tsx';
import { Tabs } from './Tabs.tsx';
import { VolumePanel } from './VolumePanel.tsx';
import { WebhooksPanel } from './WebhooksPanel.tsx';

/** Becoming a merchant: a shop name and the wallet (one of the user's registered ones) it is paid to. */
function BecomeMerchant({ onCreated }: { onCreated: (merchant: Merchant) => void }) {
  const { gateway } = useApp();
  const [wallets, setWallets] = useState<GatewayWallet[] | null>(null);
  const [name, setName] = useState('');
  const [wallet, setWallet] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    gateway
      .listWallets({ limit: 100 })
      .then((list) => {
        setWallets(list.data);
        setWallet((current) => current || (list.data[0]?.id ?? ''));
      })
      .catch((failure: unknown) => setError(describeError(failure)));
  }, [gateway]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (name.trim() === '') {
      setError('Enter your shop’s name.');
      return;
    }
    setBusy(true);
    try {
      onCreated(await createMerchant(gateway, { name: name.trim(), wallet }));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  if (wallets === null)
    return error === null ? <Status>Loading your wallets…</Status> : <Alert message={error} />;
  if (wallets.length === 0) {
    return (
      <p>
        Payments go to one of your wallets. <Link to="/wallet">Set up your wallet</Link> first.
      </p>
    );
  }
  return (
    <section aria-labelledby="become-heading" className="card">
      <h2 id="become-heading">Become a merchant</h2>
      <p>Sell with Shardpay: buyers pay straight into your wallet.</p>
      <form onSubmit={submit} className="form" noValidate>
        <label htmlFor="merchant-name">Shop name</label>
        <input
          id="merchant-name"
          maxLength={80}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <label htmlFor="merchant-wallet">Paid to wallet</label>
        <select id="merchant-wallet" value={wallet} onChange={(event) => setWallet(event.target.value)}>
          {wallets.map((item) => (
            <option key={item.id} value={item.id}>
              {item.label === null ? '' : `${item.label}: `}
              {item.address.slice(0, 20)}…
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          Become a merchant
        </button>
      </form>
      <Alert message={error} />
    </section>
  );
}

const TABS = [
  { id: 'invoices', label: 'Invoices' },
  { id: 'products', label: 'Products' },
  { id: 'keys', label: 'API keys' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'volume', label: 'Volume' },
];

function Dashboard({ merchant }: { merchant: Merchant }) {
  const { gateway } = useApp();
  const api = useMemo(() => merchantApi(gateway, merchant.id), [gateway, merchant.id]);
  const [tab, setTab] = useState(() => sessionStorage.getItem('shardpay.merchantTab') ?? 'invoices');
  const select = (next: string) => {
    setTab(next);
    sessionStorage.setItem('shardpay.merchantTab', next);
  };
  return (
    <>
      <p>
        <strong>{merchant.name}</strong> <span className="mono hint">{merchant.id}</span>
        <br />
        Paid to <span className="mono">{merchant.address}</span>.{' '}
        <Link to={`/shop/${merchant.id}`}>Your store</Link>
      </p>
      <Tabs label="Dashboard" tabs={TABS} selected={tab} onSelect={select}>
        {tab === 'invoices' ? <InvoicesPanel api={api} merchantId={merchant.id} /> : null}
        {tab === 'products' ? <ProductsPanel api={api} merchantId={merchant.id} /> : null}
        {tab === 'keys' ? <ApiKeysPanel api={api} /> : null}
        {tab === 'webhooks' ? <WebhooksPanel api={api} /> : null}
        {tab === 'volume' ? <VolumePanel api={api} /> : null}
      </Tabs>
    </>
  );
}

function MerchantHome() {
  const { gateway } = useApp();
  const [merchants, setMerchants] = useState<Merchant[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listMerchants(gateway)
      .then((list) => setMerchants(list.data))
      .catch((failure: unknown) => setError(describeError(failure)));
  }, [gateway]);
  if (merchants === null) return error === null ? <Status>Loading…</Status> : <Alert message={error} />;
  const merchant = merchants[0];
  if (merchant === undefined) return <BecomeMerchant onCreated={(created) => setMerchants([created])} />;
  return <Dashboard merchant={merchant} />;
}

/** `/merchant`: become a merchant, then invoices, products, API keys, webhooks and volume. */
export default function MerchantPage() {
  return (
    <section>
      <h1>Merchant dashboard</h1>
      <RequireLogin>
        <MerchantHome />
      </RequireLogin>
    </section>
  );
}

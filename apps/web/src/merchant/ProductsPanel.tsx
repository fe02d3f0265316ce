import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd, parseTypedAmount } from '../ui/money.ts';
import type { MerchantApi } from './merchantApi.ts';
import { usePolling } from './usePolling.ts';

/** Products for the store: add, archive, and the link to the public store page. */
export function ProductsPanel({ api, merchantId }: { api: MerchantApi; merchantId: string }) {
  const { value, error: loadError, reload } = usePolling(() => api.products(), null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [price, setPrice] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setMessage(null);
    if (name.trim() === '') return setError('Enter the product’s name.');
    if (parseTypedAmount(price) === null) return setError('Enter a price above zero, for example 12.50.');
    setBusy(true);
    try {
      const product = await api.addProduct({
        name: name.trim(),
        price: price.trim(),
        ...(description.trim() === '' ? {} : { description: description.trim() }),
      });
      setMessage(`Added ${product.name}.`);
      setName('');
      setDescription('');
      setPrice('');
      await reload();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const archive = async (id: string, productName: string) => {
    setError(null);
    try {
      await api.archiveProduct(id);
      setMessage(`Archived ${productName}: it is no longer in your store.`);
      await reload();
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  return (
    <section aria-labelledby="products-heading">
      <h2 id="products-heading">Products</h2>
      <p>
        <Link to={`/shop/${merchantId}`}>Open your store</Link> (share this page with your buyers).
      </p>
      <form onSubmit={add} className="form" noValidate>
        <label htmlFor="product-name">Product name</label>
        <input
          id="product-name"
          maxLength={80}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <label htmlFor="product-description">Description (optional)</label>
        <input
          id="product-description"
          maxLength={300}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
        <label htmlFor="product-price">Price (USD)</label>
        <input
          id="product-price"
          inputMode="decimal"
          autoComplete="off"
          value={price}
          onChange={(event) => setPrice(event.target.value)}
        />
        <button type="submit" disabled={busy}>
          Add product
        </button>
      </form>
      {message === null ? null : <Status>{message}</Status>}
      <Alert message={error ?? loadError} />
      {value === null ? null : (
        <ul className="plain-list">
          {value.data.map((product) => (
            <li key={product.id} className="card row">
              <span>
                <strong>{product.name}</strong> {formatUsd(product.price)}
                {product.active ? null : <span className="badge">archived</span>}
              </span>
              {product.active ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void archive(product.id, product.name)}
                  aria-label={`Archive ${product.name}`}
                >
                  Archive
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

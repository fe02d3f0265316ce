import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { CredentialsForm } from '../ui/CredentialsForm.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert } from '../ui/Messages.tsx';

/** A gateway session (access + refresh tokens, kept for this tab), then on to the wallet. */
export default function LogInPage() {
  const { gateway } = useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  return (
    <section>
      <h1>Log in</h1>
      <CredentialsForm
        submitLabel="Log in"
        busyLabel="Logging in…"
        newPassword={false}
        onSubmit={async (credentials) => {
          setError(null);
          try {
            await gateway.logIn(credentials);
            navigate('/wallet');
          } catch (failure) {
            setError(describeError(failure));
          }
        }}
      />
      <Alert message={error} />
      <p>
        New to Shardpay? <Link to="/signup">Create an account</Link>.
      </p>
    </section>
  );
}

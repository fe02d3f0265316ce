import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { CredentialsForm } from '../ui/CredentialsForm.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert } from '../ui/Messages.tsx';

/** A new gateway account, logged in right away, then on to the wallet. */
export default function SignUpPage() {
  const { gateway } = useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  return (
    <section>
      <h1>Create your account</h1>
      <CredentialsForm
        submitLabel="Sign up"
        busyLabel="Creating your account…"
        newPassword
        onSubmit={async (credentials) => {
          setError(null);
          try {
            await gateway.signUp(credentials);
            await gateway.logIn(credentials);
            navigate('/wallet');
          } catch (failure) {
            setError(describeError(failure));
          }
        }}
      />
      <Alert message={error} />
      <p>
        Already have an account? <Link to="/login">Log in</Link>.
      </p>
    </section>
  );
}

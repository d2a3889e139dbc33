'use client';
import { useActionState } from 'react';
import { logIn, type LoginState } from '@/lib/actions';

const INITIAL: LoginState = { error: null };

/** The token form; posts to the `logIn` server action and shows its error. */
export function LoginForm() {
  const [state, action, pending] = useActionState(logIn, INITIAL);
  return (
    <form className="login" action={action}>
      <h1>Velocity</h1>
      <label htmlFor="token">Dashboard token</label>
      <input id="token" name="token" type="password" autoComplete="current-password" required />
      <button type="submit" disabled={pending}>
        Log in
      </button>
      {state.error !== null && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </form>
  );
}

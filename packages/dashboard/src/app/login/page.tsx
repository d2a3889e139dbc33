import type { Metadata } from 'next';
import { LoginForm } from '@/app/ui/login/login-form';

export const metadata: Metadata = { title: 'Log in' };

/** The login page: one field, the dashboard token. */
export default function LoginPage() {
  return (
    <main>
      <LoginForm />
    </main>
  );
}

// Who is signed in: read once from /auth/me, set by signing in, cleared by signing out or an ended session.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { ApiProblem, get, post, setCsrfToken, whenSignedOut } from '../api/client.ts';
import type { Me, User } from '../api/types.ts';

const SessionContext = createContext<User | null>(null);

/** The signed-in user; only pages inside the signed-in shell call this. */
export function useUser(): User {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useUser outside a signed-in page');
  return user;
}

export const ME_KEY = ['me'] as const;

export async function readMe(): Promise<Me | null> {
  try {
    const me = await get<Me>('/auth/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (err) {
    if (err instanceof ApiProblem && err.status === 401) return null;
    throw err;
  }
}

export function useSession() {
  const qc = useQueryClient();
  const me = useQuery({ queryKey: ME_KEY, queryFn: readMe, staleTime: Number.POSITIVE_INFINITY, retry: 1 });
  useEffect(() => {
    whenSignedOut(() => {
      setCsrfToken(null);
      qc.setQueryData(ME_KEY, null);
    });
  }, [qc]);
  return me;
}

export async function signIn(email: string, password: string): Promise<Me> {
  const me = await post<Me>('/auth/login', { email, password });
  setCsrfToken(me.csrfToken);
  return me;
}

export async function signOut(): Promise<void> {
  try {
    await post('/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}

export function SessionProvider({ user, children }: { user: User; children: ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

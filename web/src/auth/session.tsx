// Who is signed in: read once from /auth/session, set by signing in, cleared by signing out or an ended session.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { get, post, setCsrfToken, whenSignedOut } from '../api/client.ts';
import type { Me, SecondStep, User } from '../api/types.ts';
import { setWorkspaceDates } from '../ui/format.ts';

const SessionContext = createContext<User | null>(null);

/** The signed-in user; only pages inside the signed-in shell call this. */
export function useUser(): User {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useUser outside a signed-in page');
  return user;
}

export const ME_KEY = ['me'] as const;

/** Remembered between visits so the board's data is asked for alongside the session only when likely signed in. */
const SIGNED_IN_KEY = 'floorboard.signedIn';

export function probablySignedIn(): boolean {
  return localStorage.getItem(SIGNED_IN_KEY) === '1';
}

function remember(signedIn: boolean): void {
  if (signedIn) localStorage.setItem(SIGNED_IN_KEY, '1');
  else localStorage.removeItem(SIGNED_IN_KEY);
}

/** Who is signed in, from /auth/session: nobody is a 200 with nulls, so the sign-in page logs no failed request. */
export async function readMe(): Promise<Me | null> {
  const me = await get<{ user: User | null; csrfToken: string | null; workspace: Me['workspace'] | null }>('/auth/session');
  setCsrfToken(me.csrfToken);
  remember(me.user !== null);
  return me.user && me.workspace ? { user: me.user, csrfToken: me.csrfToken, workspace: me.workspace } : null;
}

export function useSession() {
  const qc = useQueryClient();
  const me = useQuery({ queryKey: ME_KEY, queryFn: readMe, staleTime: Number.POSITIVE_INFINITY, retry: 1 });
  useEffect(() => {
    whenSignedOut(() => {
      setCsrfToken(null);
      remember(false);
      qc.setQueryData(ME_KEY, null);
    });
  }, [qc]);
  return me;
}

/** The password step: signed in, or (two-factor sign-in on) the second step to complete with a code. */
export async function signIn(email: string, password: string): Promise<Me | SecondStep> {
  const answer = await post<Me | SecondStep>('/auth/login', { email, password });
  if ('twoFactorRequired' in answer) return answer;
  setCsrfToken(answer.csrfToken);
  remember(true);
  return answer;
}

/** The second step: a code from the authenticator app, or a recovery code. */
export async function completeSignIn(challenge: string, proof: { code: string } | { recoveryCode: string }): Promise<Me> {
  const me = await post<Me>('/auth/login/second-step', { challenge, ...proof });
  setCsrfToken(me.csrfToken);
  remember(true);
  return me;
}

export async function signOut(): Promise<void> {
  try {
    await post('/auth/logout');
  } finally {
    setCsrfToken(null);
    remember(false);
  }
}

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  // Set before the pages below render: each date they write reads the workspace's way.
  setWorkspaceDates(me.workspace);
  const user = me.user;
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client.js';
import { identityApi, type Me, type Role } from '../api/identity.js';

interface Session {
  /** The signed-in caller, null when anonymous, undefined while loading. */
  me: Me | null | undefined;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  hasRole: (...roles: Role[]) => boolean;
}

const SessionContext = createContext<Session | null>(null);

/** The readable CSRF cookie lives exactly as long as the session cookie (which scripts cannot see). */
function hasSessionCookie(): boolean {
  return document.cookie.split('; ').some((c) => c.startsWith('ht_csrf='));
}

async function loadMe(): Promise<Me | null> {
  // Without a session there is nothing to ask: a visitor's page load then makes no failing request.
  if (!hasSessionCookie()) return null;
  try {
    const me = await identityApi.me();
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Who is signed in, from /api/v1/auth/me; the CSRF token is kept for writes. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['me'], queryFn: loadMe, staleTime: 60_000, retry: false });
  const me = query.isPending ? undefined : (query.data ?? null);

  // A new caller (or none): drop what was cached for the previous one, and give the ['me'] query
  // its new value in place. `client.clear()` would remove the ['me'] query that this provider
  // observes: the observer keeps the removed query, never sees the new one, and `me` stays what
  // it was, which bounced every sign-in through the form back to /login until a reload.
  const switchCaller = useCallback(
    (next: Me | null) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      client.setQueryData(['me'], next);
    },
    [client],
  );

  useEffect(() => {
    // An expired session on any request: forget everything cached for the previous user.
    setUnauthorizedHandler(() => {
      if (client.getQueryData(['me'])) {
        setCsrfToken(null);
        switchCaller(null);
      }
    });
    return () => setUnauthorizedHandler(null);
  }, [client, switchCaller]);

  const login = useCallback(
    async (username: string, password: string) => {
      const session = await identityApi.login(username, password);
      setCsrfToken(session.csrfToken);
      const me = await identityApi.me();
      setCsrfToken(me.csrfToken ?? session.csrfToken);
      switchCaller(me);
    },
    [switchCaller],
  );
  const logout = useCallback(async () => {
    await identityApi.logout().catch(() => undefined);
    setCsrfToken(null);
    switchCaller(null);
  }, [switchCaller]);
  const hasRole = useCallback((...roles: Role[]) => roles.some((r) => me?.roles.includes(r)), [me]);

  const value = useMemo(() => ({ me, login, logout, hasRole }), [me, login, logout, hasRole]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session: who is signed in, and login/logout. */
export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

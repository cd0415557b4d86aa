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

  useEffect(() => {
    // An expired session on any request: forget everything cached for the previous user.
    setUnauthorizedHandler(() => {
      if (client.getQueryData(['me'])) {
        setCsrfToken(null);
        client.clear();
        client.setQueryData(['me'], null);
      }
    });
    return () => setUnauthorizedHandler(null);
  }, [client]);

  const login = useCallback(
    async (username: string, password: string) => {
      const session = await identityApi.login(username, password);
      setCsrfToken(session.csrfToken);
      client.clear();
      await client.fetchQuery({ queryKey: ['me'], queryFn: loadMe });
    },
    [client],
  );
  const logout = useCallback(async () => {
    await identityApi.logout().catch(() => undefined);
    setCsrfToken(null);
    client.clear();
    client.setQueryData(['me'], null);
  }, [client]);
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

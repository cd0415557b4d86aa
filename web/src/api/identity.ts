// Identity endpoints: auth, organisations, users, applications, keys, roles, regions.

import type { Role } from '../../../src/identity/roles.js';
import type {
  ApiKeyView,
  ApplicationView,
  CreateOrganizationInput,
  OrganizationView,
  UpdateOrganizationInput,
  UserView,
} from '../../../src/identity/schemas.js';
import { api, type Page } from './client.js';

export type { ApiKeyView, ApplicationView, OrganizationView, Role, UserView };
export type OrganizationKind = OrganizationView['kind'];
export type OrganizationLevel = OrganizationView['level'];

export interface Me {
  kind: 'user' | 'application';
  user: UserView | null;
  application: ApplicationView | null;
  organization: OrganizationView;
  roles: Role[];
  csrfToken: string | null;
}

export interface Region {
  code: string;
  name: string;
  children: { code: string; name: string }[];
}

export interface NewUser {
  orgId: string;
  username: string;
  displayName: string;
  email?: string | null;
  password: string;
  roles: Role[];
}

export interface UserChanges {
  displayName?: string;
  email?: string | null;
  password?: string;
  roles?: Role[];
  disabled?: boolean;
}

const v1 = '/api/v1';

export const identityApi = {
  login: (username: string, password: string) =>
    api.post<{ user: UserView; csrfToken: string; expiresAt: string }>(`${v1}/auth/login`, {
      username,
      password,
    }),
  logout: () => api.post<void>(`${v1}/auth/logout`),
  me: () => api.get<Me>(`${v1}/auth/me`),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<void>(`${v1}/auth/password`, { currentPassword, newPassword }),

  organizations: (query: {
    limit?: number;
    cursor?: string;
    kind?: string;
    region?: string;
    parentId?: string;
  }) => api.get<Page<OrganizationView>>(`${v1}/organizations`, query),
  organization: (id: string) => api.get<OrganizationView>(`${v1}/organizations/${id}`),
  createOrganization: (body: CreateOrganizationInput) =>
    api.post<OrganizationView>(`${v1}/organizations`, body),
  updateOrganization: (id: string, body: UpdateOrganizationInput) =>
    api.patch<OrganizationView>(`${v1}/organizations/${id}`, body),

  users: (query: { limit?: number; cursor?: string; orgId?: string }) =>
    api.get<Page<UserView>>(`${v1}/users`, query),
  createUser: (body: NewUser) => api.post<UserView>(`${v1}/users`, body),
  updateUser: (id: string, body: UserChanges) => api.patch<UserView>(`${v1}/users/${id}`, body),

  applications: (query: { limit?: number; cursor?: string } = {}) =>
    api.get<Page<ApplicationView>>(`${v1}/applications`, query),
  createApplication: (body: { name: string; description?: string }) =>
    api.post<ApplicationView>(`${v1}/applications`, body),
  updateApplication: (id: string, body: { name?: string; description?: string }) =>
    api.patch<ApplicationView>(`${v1}/applications/${id}`, body),
  keys: (applicationId: string, query: { limit?: number; cursor?: string } = {}) =>
    api.get<Page<ApiKeyView>>(`${v1}/applications/${applicationId}/keys`, query),
  createKey: (applicationId: string, body: { name: string; roles: Role[]; expiresAt?: string | null }) =>
    api.post<{ key: string; apiKey: ApiKeyView }>(`${v1}/applications/${applicationId}/keys`, body),
  revokeKey: (applicationId: string, keyId: string) =>
    api.post<ApiKeyView>(`${v1}/applications/${applicationId}/keys/${keyId}/revoke`),

  roles: () => api.get<{ items: { id: Role; zh: string; en: string }[] }>(`${v1}/roles`),
  region: (code: string) => api.get<Region>(`${v1}/regions/${code}`),
};

/** Fetches every page of a list (for small directories such as organisations or users). */
export async function fetchAll<T>(load: (cursor?: string) => Promise<Page<T>>, max = 2000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await load(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return items;
}

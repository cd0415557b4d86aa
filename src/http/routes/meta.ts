import { z } from 'zod';
import { NotFoundError } from '../../errors/index.js';
import {
  isRegionCode,
  ROLE_LABELS,
  ROLES,
  RoleSchema,
  regionChildren,
  regionFullName,
} from '../../identity/index.js';
import type { App } from '../types.js';
import { refusals } from './schemas.js';

const tags = ['meta'];

/** Reference lists for forms: roles, and GB/T 2260 divisions. */
export async function metaRoutes(app: App): Promise<void> {
  app.get(
    '/api/v1/roles',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The roles of the platform',
        response: {
          200: z.object({ items: z.array(z.object({ id: RoleSchema, zh: z.string(), en: z.string() })) }),
        },
      },
    },
    async () => ({ items: ROLES.map((id) => ({ id, ...ROLE_LABELS[id] })) }),
  );

  app.get(
    '/api/v1/regions/:code',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'A GB/T 2260 division and the divisions directly below it',
        params: z.strictObject({ code: z.string().regex(/^\d{6}$/) }),
        response: {
          200: z.object({
            code: z.string(),
            name: z.string(),
            children: z.array(z.object({ code: z.string(), name: z.string() })),
          }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const { code } = request.params;
      if (!isRegionCode(code)) throw new NotFoundError('Region');
      const children = code.endsWith('00') ? regionChildren(code) : [];
      return { code, name: regionFullName(code)!, children };
    },
  );
}

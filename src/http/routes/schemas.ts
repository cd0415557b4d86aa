import { z } from 'zod';

/** `{id}` path parameter. */
export const IdParams = z.strictObject({ id: z.uuid() });

/** The error shape, for the OpenAPI document. */
export const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** The usual refusals of an authenticated route, documented once. */
export const refusals = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
} as const;

import { z } from 'zod';
import {
  AccessRequestStatusSchema,
  CreateAccessRequestSchema,
  RejectionReasonSchema,
} from '../sharing/index.js';
import { PeerAppSchema, PeerOrgSchema } from './peer-principals.js';

/** The person who applied, as the consumer node declares them (mirrored on the provider). */
export const PeerPersonSchema = z.strictObject({
  id: z.string().min(1).max(100),
  displayName: z.string().trim().min(1).max(150),
});
export type PeerPerson = z.infer<typeof PeerPersonSchema>;

/** The fields of a local access request but the application, which the provider mirrors. */
export const PeerRequestFieldsSchema = CreateAccessRequestSchema.omit({ applicationId: true });

/** What a consumer node sends a provider node: an access request filed by one of its people. */
export const PeerAccessRequestSchema = z.strictObject({
  remoteRequestId: z.uuid().describe('the consumer node’s id of the request: a retry files it once'),
  org: PeerOrgSchema,
  application: PeerAppSchema,
  person: PeerPersonSchema,
  request: PeerRequestFieldsSchema,
});
export type PeerAccessRequest = z.infer<typeof PeerAccessRequestSchema>;

/** The provider node's answer to a filed request. */
export const PeerAccessAnswerSchema = z.strictObject({
  requestId: z.uuid().describe('the access request on the provider node'),
  status: AccessRequestStatusSchema,
});
export type PeerAccessAnswer = z.infer<typeof PeerAccessAnswerSchema>;

/** A consumer node asks where its requests stand. */
export const PeerStatusQuerySchema = z.strictObject({
  remoteRequestIds: z.array(z.uuid()).min(1).max(100),
});

/** A granted item as the consumer's list shows it: its name and the provider's mask. */
export const GrantedItemSchema = z.strictObject({ name: z.string(), mask: z.string() });

/** The provider's decision on a request, as both nodes show it. */
export const RemoteDecisionSchema = z.strictObject({
  grant: z
    .strictObject({
      id: z.uuid(),
      items: z.array(GrantedItemSchema),
      validFrom: z.iso.datetime(),
      validUntil: z.iso.datetime(),
    })
    .nullable()
    .describe('what was granted, once approved (in full or in part)'),
  rejection: z
    .strictObject({ reason: RejectionReasonSchema, text: z.string() })
    .nullable()
    .describe('the coded reason of a refusal (不予共享理由) and its text'),
  decidedAt: z.iso.datetime(),
});
export type RemoteDecision = z.infer<typeof RemoteDecisionSchema>;

/** Where one request stands on the provider node. */
export const PeerRequestStatusSchema = z.strictObject({
  remoteRequestId: z.uuid(),
  requestId: z.uuid(),
  status: AccessRequestStatusSchema,
  decision: RemoteDecisionSchema.nullable(),
});
export type PeerRequestStatus = z.infer<typeof PeerRequestStatusSchema>;

/** The provider node's answer to a status query: the requests that node filed, others left out. */
export const PeerStatusAnswerSchema = z.strictObject({ requests: z.array(PeerRequestStatusSchema) });
export type PeerStatusAnswer = z.infer<typeof PeerStatusAnswerSchema>;

/** Body of POST /api/v1/federation/remote-requests: a local request's fields and the provider node. */
export const CreateRemoteRequestSchema = CreateAccessRequestSchema.extend({
  providerNodeId: z.string().min(1).max(63).describe('the node that provides the resource'),
});
export type CreateRemoteRequestInput = z.input<typeof CreateRemoteRequestSchema>;

/**
 * Where a remote request stands on the consumer node: `sending` until the provider has filed it
 * (a provider that could not be reached is sent it again), `failed` if the provider refused to
 * file it on a later attempt (the code in `checkError`), then the provider's own status.
 */
export const RemoteRequestStatusSchema = z.enum(['sending', ...AccessRequestStatusSchema.options, 'failed']);
export type RemoteRequestStatus = z.infer<typeof RemoteRequestStatusSchema>;

/** A remote request as the consumer node shows it. */
export const RemoteRequestSchema = z.object({
  id: z.uuid(),
  providerNodeId: z.string(),
  providerNodeName: z.string().nullable().describe('the provider node’s name in the configuration held'),
  providerRequestId: z.uuid().nullable(),
  applicationId: z.uuid(),
  resourceCode: z.string(),
  resourceName: z
    .string()
    .nullable()
    .describe('the resource’s name when this node holds its catalog entry (a node holds those below it)'),
  items: z.array(z.string()),
  purpose: z.string(),
  status: RemoteRequestStatusSchema,
  decision: RemoteDecisionSchema.nullable(),
  checkedAt: z.iso.datetime().nullable().describe('when the provider node was last asked'),
  checkError: z.string().nullable().describe('why the last check failed, if it did'),
  createdBy: z.uuid(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type RemoteRequestView = z.infer<typeof RemoteRequestSchema>;

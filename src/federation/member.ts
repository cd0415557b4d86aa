import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../errors/index.js';
import type { OutboundPolicy } from '../net/index.js';
import type { Database } from '../store/index.js';
import { SignedFederationConfigSchema } from './config-schema.js';
import { keyIdOf } from './config-sign.js';
import { holdConfig, readNode, recordConfigError, requireNode } from './node-store.js';
import { peerRequest } from './peer-http.js';
import type { NodeDescription } from './root.js';
import { signRequest } from './signed-request.js';

const CONFIG_PATH = '/api/v1/federation/config';

async function fetchSigned(policy: OutboundPolicy, rootUrl: string) {
  const answer = await peerRequest(policy, new URL(CONFIG_PATH, rootUrl));
  if (answer.status !== 200)
    throw new AppError(
      502,
      'federation_config_signature_invalid',
      `The root answered ${answer.status} for its configuration`,
    );
  const parsed = SignedFederationConfigSchema.safeParse(JSON.parse(answer.body.toString('utf8')));
  if (!parsed.success)
    throw new AppError(
      502,
      'federation_config_signature_invalid',
      'The root served a malformed configuration',
    );
  return parsed.data;
}

/**
 * Joins the federation at `rootUrl` (`huitong federation join`): pins the root key named by the
 * token from the root's signed configuration, sends a join request signed with this node's key
 * and records this node's identity; the node is a member once the root's administrator approves.
 */
export async function joinFederation(
  db: Kysely<Database>,
  policy: OutboundPolicy,
  key: { key: KeyObject; publicKey: string },
  rootUrl: string,
  token: string,
  self: NodeDescription,
): Promise<{ nodeId: string; status: string; rootKeyId: string }> {
  if (await readNode(db))
    throw new AppError(409, 'federation_already_joined', 'This node is already in a federation');
  const rootKeyId = token.split('.').at(-1) ?? '';
  const signed = await fetchSigned(policy, rootUrl);
  const root = signed.config.nodes.find((n) => n.nodeId === signed.config.rootNodeId);
  if (!root || keyIdOf(Buffer.from(root.publicKey, 'base64')) !== rootKeyId)
    throw new AppError(
      502,
      'federation_config_signature_invalid',
      'The root key does not match the one the token names',
    );
  const body = Buffer.from(
    JSON.stringify({
      token,
      node: { ...self, parentNodeId: self.parentNodeId ?? null, publicKey: key.publicKey },
    }),
  );
  const url = new URL('/api/v1/federation/join-requests', rootUrl).toString();
  const headers = await signRequest(
    { nodeId: self.nodeId, key: key.key },
    { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
  );
  const answer = await peerRequest(policy, new URL(url), { method: 'POST', headers, body });
  if (answer.status !== 202) {
    const error = JSON.parse(answer.body.toString('utf8') || '{}') as {
      error?: { code?: string; message?: string };
    };
    throw new AppError(
      answer.status >= 400 && answer.status < 500 ? answer.status : 502,
      (error.error?.code as 'federation_join_token_invalid') ?? 'federation_join_token_invalid',
      error.error?.message ?? `The root answered ${answer.status}`,
    );
  }
  await db
    .insertInto('federation_node')
    .values({
      id: 1,
      node_id: self.nodeId,
      region_code: self.regionCode,
      name: self.name,
      level: self.level,
      url: self.url,
      parent_node_id: self.parentNodeId ?? null,
      role: 'member',
      federation: signed.config.federation,
      root_url: rootUrl,
      root_public_key: root.publicKey,
      created_at: new Date(),
    })
    .execute();
  await holdConfig(db, root.publicKey, signed);
  return { nodeId: self.nodeId, status: 'pending', rootKeyId };
}

/**
 * Fetches the root's configuration once and holds it when it verifies and is newer; a failure is
 * recorded (and the held copy kept until it expires). Returns whether a newer version was taken.
 */
export async function refreshConfig(db: Kysely<Database>, policy: OutboundPolicy): Promise<boolean> {
  const node = await requireNode(db);
  if (node.role === 'root' || !node.root_url) return false;
  try {
    return await holdConfig(db, node.root_public_key, await fetchSigned(policy, node.root_url));
  } catch (error) {
    await recordConfigError(db, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** Refreshes the configuration every `seconds` (default 60) until stopped; failures are recorded, not thrown. */
export function startConfigRefresh(
  db: Kysely<Database>,
  policy: OutboundPolicy,
  seconds = 60,
  log: (error: unknown) => void = () => undefined,
): () => void {
  const timer = setInterval(() => {
    readNode(db)
      .then((node) => (node && node.role === 'member' ? refreshConfig(db, policy) : false))
      .catch(log);
  }, seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

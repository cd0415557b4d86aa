import { createHash, type KeyObject } from 'node:crypto';
import {
  canonicalBytes,
  ed25519Sign,
  ed25519Verify,
  publicKeyFromRaw,
  rawPublicKey,
} from '../audit/index.js';
import { AppError } from '../errors/index.js';
import type { FederationConfig, SignedFederationConfig } from './config-schema.js';

/** The short id of an Ed25519 public key: the first 8 bytes of its SHA-256, hex. */
export function keyIdOf(publicKey: Buffer): string {
  return createHash('sha256').update(publicKey).digest('hex').slice(0, 16);
}

/** The root's signature over the configuration's canonical JSON (RFC 8785 for integers and strings). */
export function signConfig(config: FederationConfig, rootKey: KeyObject): SignedFederationConfig {
  const value = ed25519Sign(rootKey, canonicalBytes(config)).toString('base64');
  return { config, signature: { keyId: keyIdOf(rawPublicKey(rootKey)), value } };
}

/**
 * The configuration, if its signature verifies under the pinned root key; a forged or altered
 * configuration is refused whatever it says (`federation_config_signature_invalid`).
 */
export function verifySignedConfig(signed: SignedFederationConfig, pinnedRootKey: Buffer): FederationConfig {
  const ok =
    signed.signature.keyId === keyIdOf(pinnedRootKey) &&
    ed25519Verify(
      publicKeyFromRaw(pinnedRootKey),
      canonicalBytes(signed.config),
      Buffer.from(signed.signature.value, 'base64'),
    );
  if (!ok)
    throw new AppError(
      502,
      'federation_config_signature_invalid',
      'The federation configuration is not signed by the pinned root key',
    );
  return signed.config;
}

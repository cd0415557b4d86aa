// The public surface of net/: the one outbound policy (design.md). Every connection the platform
// opens — sources now; webhooks, staging databases and peers later — resolves its host here,
// is refused when an address is loopback, private, link-local, metadata or otherwise not public
// unless HUITONG_OUTBOUND_ALLOW names it, and goes to the address that was checked.
export { type OutboundRequest, outboundRequest } from './http.js';
export {
  type CheckedAddress,
  createOutboundPolicy,
  literalAddress,
  type OutboundPolicy,
  OutboundRefusedError,
  outboundPolicyFromConfig,
  type ResolveAll,
} from './policy.js';
export { type AddressClass, classifyAddress } from './ranges.js';
export { checkedSocket, pinnedLookup } from './socket.js';

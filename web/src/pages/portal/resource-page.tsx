import { ApiPending } from '../../components/api-pending.js';

/** Waits for the catalog API. */
export default function Page() {
  return <ApiPending api="GET /api/v1/resources" />;
}

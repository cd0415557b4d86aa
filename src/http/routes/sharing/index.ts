import type { App, AppContext } from '../../types.js';
import { accessRequestRoutes } from './access-requests.js';
import { grantRoutes } from './grants.js';
import { notificationRoutes } from './notifications.js';
import { openDataRoutes } from './open-data.js';
import { usageRoutes } from './usage.js';

/** The sharing module's routes: access requests, grants, usage, notifications, open data. */
export async function sharingRoutes(app: App, context: AppContext): Promise<void> {
  await accessRequestRoutes(app, context);
  await grantRoutes(app, context);
  await usageRoutes(app, context);
  await notificationRoutes(app, context);
  await openDataRoutes(app, context);
}

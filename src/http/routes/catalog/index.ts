import type { App, AppContext } from '../../types.js';
import { catalogChangeRoutes } from './changes.js';
import { ckanRoutes } from './ckan.js';
import { dcatRoutes } from './dcat.js';
import { frictionlessRoutes } from './frictionless.js';
import { importRoutes } from './import.js';
import { resourceRoutes } from './resources.js';
import { searchRoutes } from './search.js';

/** Every route of the catalog: resources, search, statistics, import and the standard views. */
export async function catalogRoutes(app: App, context: AppContext): Promise<void> {
  await resourceRoutes(app, context);
  await searchRoutes(app, context);
  await ckanRoutes(app, context);
  await dcatRoutes(app, context);
  await frictionlessRoutes(app, context);
  await importRoutes(app, context);
  await catalogChangeRoutes(app, context);
}

import type { App, AppContext } from '../types.js';
import { applicationRoutes } from './applications.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { bindingRoutes } from './bindings.js';
import { catalogRoutes } from './catalog/index.js';
import { demandRoutes } from './demands.js';
import { governanceRoutes } from './governance.js';
import { assessmentRoutes } from './governance-assessments.js';
import { qualityRoutes } from './governance-quality.js';
import { healthRoutes } from './health.js';
import { metaRoutes } from './meta.js';
import { metricsRoutes } from './metrics.js';
import { objectionRoutes } from './objections.js';
import { organizationRoutes } from './organizations.js';
import { queryRoutes } from './query.js';
import { releaseReviewRoutes } from './release-reviews.js';
import { sharingRoutes } from './sharing/index.js';
import { sourceRoutes } from './sources.js';
import { subscriptionRoutes } from './subscriptions.js';
import { tracingRoutes } from './tracing.js';
import { userRoutes } from './users.js';
import { warningRoutes } from './warning.js';

/** Every route of the platform; each module's routes live in a file of their own. */
export async function registerRoutes(app: App, context: AppContext): Promise<void> {
  await healthRoutes(app, context);
  await authRoutes(app, context);
  await metaRoutes(app);
  await organizationRoutes(app, context);
  await userRoutes(app, context);
  await applicationRoutes(app, context);
  await catalogRoutes(app, context);
  await sharingRoutes(app, context);
  await sourceRoutes(app, context);
  await bindingRoutes(app, context);
  await queryRoutes(app, context);
  await subscriptionRoutes(app, context);
  await releaseReviewRoutes(app, context);
  await governanceRoutes(app, context);
  await assessmentRoutes(app, context);
  await qualityRoutes(app, context);
  await objectionRoutes(app, context);
  await demandRoutes(app, context);
  await warningRoutes(app, context);
  await tracingRoutes(app, context);
  await auditRoutes(app, context);
  await metricsRoutes(app, context);
}

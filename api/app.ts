/**
 * The HTTP API as an express app, built from its dependencies so tests run it on an
 * ephemeral port against the real stack.
 */
import { randomUUID } from 'node:crypto';
import compression from 'compression';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { jsonBodies } from './body';
import type { ApiDeps } from './deps';
import { HttpError, problemHandler } from './errors';
import { redocScript, REDOC_SCRIPT_PATH } from './docs-page';
import { createMetrics } from './metrics';
import { createRateLimits } from './rate-limits';
import { ApiRoutes } from './route';
import { authRoutes } from './routes/auth';
import { codecCors, codecRoutes } from './routes/codec';
import { consoleRoutes } from './console';
import { devTokenRoutes } from './routes/dev-tokens';
import { evidenceFileRoutes } from './routes/evidence-files';
import { executionRoutes } from './routes/execution';
import { logRoutes } from './routes/log';
import { privacyRoutes } from './routes/privacy';
import { requestRoutes } from './routes/requests';
import { systemRoutes } from './routes/system';
import { taskRoutes } from './routes/tasks';
import { trustRoutes } from './routes/trust';
import { webhookRoutes } from './routes/webhooks';

export function createApp(deps: ApiDeps): {
  app: Express;
  routes: ApiRoutes;
  openApiDocument: () => Record<string, unknown>;
} {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const metrics = createMetrics();
  const limits = createRateLimits(deps.config);

  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Lines carry method, route and status; never the Authorization header (see adapters/logger.ts).
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use(metrics.middleware);
  app.use((_req, res, next) => {
    // Answers are data, never documents to render or sniff; personal data is not for caches.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // The docs page's renderer: a static asset, not part of the contract.
  app.get(REDOC_SCRIPT_PATH, limits.uncounted, (_req, res, next) => {
    const script = redocScript();
    if (!script) return next();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('application/javascript').send(script);
  });

  const router = express.Router();
  const routes = new ApiRoutes(router, deps.authKeys, limits);
  authRoutes(routes, deps);
  // Only when turned on (npm start does; production refuses to start with it).
  if (deps.config.DEV_TOKENS === 'on') devTokenRoutes(routes, deps);
  requestRoutes(routes, deps);
  taskRoutes(routes, deps);
  executionRoutes(routes, deps);
  evidenceFileRoutes(routes, deps);
  trustRoutes(routes, deps);
  logRoutes(routes, deps, metrics.registry);
  webhookRoutes(routes, deps);
  privacyRoutes(routes, deps);
  codecRoutes(routes, deps);
  const openApiDocument = systemRoutes(routes, deps, metrics.registry, limits);
  routes.answerOtherMethods();

  app.use(routes.percentEncodingGuard());
  // The log's tiles and bundles for tlog clients, which ask for gzip (application/octet-stream is compressed too).
  app.use('/log', compression({ filter: () => true, threshold: 0 }));
  // The Web UI calls the codec server from its own origin: preflights are answered here.
  app.use('/codec', codecCors(deps.config));
  // Evidence files stream in as they are; every other body is JSON.
  app.use(routes.streamed);
  app.use(jsonBodies(deps.config.BODY_LIMIT));
  app.use(router);
  // The console's files and unknown paths: requests without a route of their own spend the address's budget.
  app.use(limits.uncounted);
  app.use(consoleRoutes(deps.config));

  app.use((req, _res, next) => next(new HttpError(404, 'Not Found', `no route for ${req.method} ${req.path}`)));
  app.use(limits.uncountedError);
  app.use(problemHandler(deps.log));
  return { app, routes, openApiDocument };
}

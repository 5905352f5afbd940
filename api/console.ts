/**
 * The console at /console: the files vite builds into CONSOLE_DIR (`npm run build`, or `npm start`
 * when they are missing or stale), served as they are. Its hashed assets are cached for good; its
 * page is revalidated each time, and every path under /console that is not a file is that page
 * (the console routes in the browser). The console talks to the API like any other client.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import type { Config } from '../config';
import { HttpError } from './errors';

/**
 * Scripts and styles only from the console's own files; API calls to this origin (and to the OpenID
 * Provider's, for discovery and the token endpoint, when one is configured); images also as blobs.
 */
function contentSecurityPolicy(oidcIssuer: string | undefined): string {
  const connect = ["'self'", ...(oidcIssuer ? [new URL(oidcIssuer).origin] : [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function consoleRoutes(config: Pick<Config, 'CONSOLE_DIR' | 'AUTH_OIDC_ISSUER'>): Router {
  const policy = contentSecurityPolicy(config.AUTH_OIDC_ISSUER);
  const dir = path.resolve(config.CONSOLE_DIR);
  const page = path.join(dir, 'index.html');
  const router = express.Router();
  const secured: express.RequestHandler = (_req, res, next) => {
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };

  router.get(/^\/console$/, (_req, res) => res.redirect(308, '/console/'));
  router.use(
    '/console/assets',
    secured,
    express.static(path.join(dir, 'assets'), {
      index: false,
      // File names carry their content hash: a new build has new names.
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  router.use('/console/assets', (req, _res, next) =>
    next(new HttpError(404, 'Not Found', `no console asset ${req.originalUrl}`)),
  );
  router.get(/^\/console\/.*/, secured, (req, res, next) => {
    if (!fs.existsSync(page)) {
      next(
        new HttpError(
          404,
          'Not Found',
          `the console is not built here (${path.relative(process.cwd(), page)} is missing): npm run build builds it`,
        ),
      );
      return;
    }
    const file = path.join(dir, path.normalize(req.path.slice('/console/'.length)));
    const isFile =
      file.startsWith(dir + path.sep) &&
      !file.includes(`${path.sep}.`) &&
      fs.statSync(file, { throwIfNoEntry: false })?.isFile();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(isFile ? file : page, { dotfiles: 'deny' }, (error) => {
      if (error && !res.headersSent) next(new HttpError(404, 'Not Found', `no console file ${req.originalUrl}`));
    });
  });
  return router;
}

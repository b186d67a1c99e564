import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);
const assets = dirname(require.resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Pressbox API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const init = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    persistAuthorization: true,
    tryItOutEnabled: true,
    displayRequestDuration: true
  });
});`;

const csp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * `/docs`: an interactive API reference (Swagger UI, served from the installed package, so it
 * works offline) over `/openapi.json`; "Authorize" takes a session token and "Try it out" calls
 * the API.
 */
export function docsRoutes(): Router {
  const routes = Router();
  const withCsp = (_req: express.Request, res: express.Response, next: express.NextFunction) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('Cache-Control', 'public, max-age=300');
    next();
  };
  routes.get('/docs', withCsp, (_req, res) => {
    res.type('html').send(page);
  });
  routes.get('/docs/init.js', withCsp, (_req, res) => {
    res.type('application/javascript').send(init);
  });
  routes.use(
    '/docs/assets',
    withCsp,
    express.static(assets, {
      index: false,
      fallthrough: false,
      setHeaders: (res) => {
        res.setHeader('Cache-Control', 'public, max-age=86400');
      },
    }),
  );
  return routes;
}

// API keys (TRTFARM_API_KEYS): every route but the probes and /metrics asks for
// `Authorization: Bearer <key>`, else 401 { message }. The dashboard and the docs also take the
// key as a Basic password, so that a browser can open them (it asks once, then resends it).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const OPEN_PATHS = new Set(['/healthz', '/readyz', '/readyz/api', '/metrics']);
const OPEN_PREFIXES = ['/v2/health/'];
const BROWSER_PREFIXES = ['/ui', '/docs'];

export function isOpenPath(path: string): boolean {
  return OPEN_PATHS.has(path) || OPEN_PREFIXES.some((prefix) => path.startsWith(prefix));
}

export function installAuth(app: FastifyInstance, keys: readonly string[]): void {
  if (keys.length === 0) return;
  // Compared as digests: equal lengths for timingSafeEqual, and every key is compared, so the
  // time taken says nothing about which key, or how much of one, matched.
  const digests = keys.map(digest);
  const known = (candidate: string) => {
    const given = digest(candidate);
    let match = false;
    for (const expected of digests) match = timingSafeEqual(given, expected) || match;
    return match;
  };
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0];
    if (isOpenPath(path)) return;
    const browser = BROWSER_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
    const presented = presentedKey(request, browser);
    if (presented !== undefined && known(presented)) return;
    reply
      .code(401)
      .header('www-authenticate', browser ? 'Basic realm="trtfarm", charset="UTF-8"' : 'Bearer realm="trtfarm"')
      .send({
        statusCode: 401,
        error: 'Unauthorized',
        message: presented === undefined ? 'an API key is required: Authorization: Bearer <key>' : 'the API key is not valid',
      });
    return reply;
  });
}

function presentedKey(request: FastifyRequest, basicAllowed: boolean): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') return value.trim();
  if (basicAllowed && scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return '';
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

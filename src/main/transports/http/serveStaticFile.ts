import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { serveContentSecurityPolicy } from './serveContentSecurityPolicy';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Headers of every page response: the app's CSP and the usual hardening. */
export function pageSecurityHeaders(hostHeader: string | undefined): Record<string, string> {
  return {
    'Content-Security-Policy': serveContentSecurityPolicy(hostHeader),
    'X-Content-Type-Options': 'nosniff',
    // The first page URL carries ?token=…: never send it anywhere as a referrer.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}

/**
 * Answers GET/HEAD with a file of the built renderer. No token: these files hold no data. A path that leaves
 * `root` (`..`, encoded or not, or a symlink pointing out) is answered like a missing file.
 */
export async function serveStaticFile(req: IncomingMessage, res: ServerResponse, root: string | undefined, pathname: string): Promise<void> {
  const security = pageSecurityHeaders(req.headers.host);
  const plain = (status: number, text: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...security, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Method not allowed.\n', { Allow: 'GET, HEAD' });
  if (root === undefined) return plain(404, 'The workbench UI is not built: run `npm run build` (or start with `npm run serve`), then restart serve.\n');

  const file = await resolveInside(root, pathname === '/' ? '/index.html' : pathname);
  if (file === null) return plain(404, 'Not found.\n');

  res.writeHead(200, {
    ...security,
    'Content-Type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(file.size),
    // Local and small: always revalidate, so a rebuilt UI is never mixed with cached chunks.
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  await new Promise<void>((done) => {
    const stream = createReadStream(file.path);
    stream.on('error', () => {
      res.destroy();
      done();
    });
    res.on('close', () => {
      stream.destroy();
      done();
    });
    stream.pipe(res);
  });
}

/** The regular file `pathname` names under `root`, or null when it is missing, not a file, or outside `root`. */
async function resolveInside(root: string, pathname: string): Promise<{ path: string; size: number } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const candidate = resolve(base, `.${decoded.replaceAll('\\', '/')}`);
  if (!candidate.startsWith(base + sep)) return null;
  try {
    // Resolve symlinks too: a link inside root must not serve a file from outside it.
    const [realBase, realFile] = await Promise.all([realpath(base), realpath(candidate)]);
    if (!realFile.startsWith(realBase + sep)) return null;
    const info = await stat(realFile);
    return info.isFile() ? { path: realFile, size: info.size } : null;
  } catch {
    return null;
  }
}

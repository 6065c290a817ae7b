// A plain static file server for built sites, with no atoll code: what any
// static host does with a folder. `/x/` serves x/index.html, `/x` (a folder)
// redirects to `/x/`, a file is sent with the MIME type of its extension,
// and anything else is a 404 with the `notFound` file when one is given
// (as Netlify, GitHub Pages or Cloudflare Pages serve 404.html).
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  origin: string;
  /** Every request path, in the order they arrived. */
  requests: string[];
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** The URL path of the page sent with every 404, e.g. '/404.html'. Default: a plain-text 404. */
  notFound?: string;
}

/** Serves `dir` on 127.0.0.1 and a free port. */
export async function startStaticServer(dir: string, { notFound }: StaticServerOptions = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const fileOf = (path: string): string | undefined => {
    let parts: string[];
    try {
      parts = path.split('/').map((part) => decodeURIComponent(part));
    } catch {
      return undefined;
    }
    if (parts.some((part) => part === '..' || part.includes(sep) || part.includes('\0'))) return undefined;
    return join(dir, ...parts);
  };
  const isFile = async (file: string | undefined) => file !== undefined && (await stat(file).catch(() => undefined))?.isFile() === true;
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://static.invalid');
    requests.push(url.pathname);
    const file = fileOf(url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname);
    if (await isFile(file)) {
      response.writeHead(200, { 'Content-Type': TYPES[extname(file!)] ?? 'application/octet-stream' });
      return response.end(await readFile(file!));
    }
    if (!url.pathname.endsWith('/') && (await isFile(fileOf(`${url.pathname}/index.html`)))) {
      response.writeHead(301, { Location: `${url.pathname}/${url.search}` });
      return response.end();
    }
    const page = notFound === undefined ? undefined : fileOf(notFound);
    if (await isFile(page)) {
      response.writeHead(404, { 'Content-Type': TYPES['.html']! });
      return response.end(await readFile(page!));
    }
    response.writeHead(404, { 'Content-Type': TYPES['.txt']! });
    response.end('404 Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

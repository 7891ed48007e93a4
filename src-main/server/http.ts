/**
 * Browser mode: the lab's API over HTTP on 127.0.0.1, and the built renderer as static files.
 *
 * - Every request's Host must be 127.0.0.1:PORT or localhost:PORT (403 otherwise, pages included:
 *   a DNS-rebinding page cannot reach the lab).
 * - Everything under /api/ needs the access token (Authorization: Bearer T, or ?token=T for
 *   EventSource), checked before routing (401); a foreign Origin gets 403; no CORS headers.
 * - POST /api/<name> with a JSON body calls the contract; GET /api/events is the server-sent event
 *   stream of lab events.
 * - Static assets need no token; HTML gets a strict Content-Security-Policy and no referrer (the
 *   token is in the page URL).
 * - A call from a page of another build than the one on disk when the server started (its
 *   X-Nnlab-Page header names another entry script) gets 409 StaleServerError (page-build.ts).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { LabService } from '../lab/service';
import { createHandlers, dispatch, toWireEvent } from '../api/handlers';
import { CONTENT_SECURITY_POLICY } from './csp';
import { PAGE_BUILD_HEADER, pageEntryOf, STALE_SERVER_MESSAGE } from '../api/page-build';
import { jsonTextPieces, writePieces } from '../json-pieces';

/** Largest API request body accepted by default (a spec with explicit weights can be large). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;


const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

export interface LabServerOptions {
  lab: LabService;
  /** Folder of the built renderer (index.html and assets). */
  staticDir: string;
  database: string;
  port?: number;
  /** Fixed token (tests); default: 32 random bytes, base64url. */
  token?: string;
  maxWeights?: number;
  /** What opening the database did (openLabStore's notices), for lab/status. */
  opened?: readonly string[];
  /** Largest request body (default MAX_BODY_BYTES, 64 MB). */
  maxBodyBytes?: number;
}

export interface LabServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Answers with `body` as JSON, written in pieces (json-pieces.ts): a long series or a page of
 * weights is turned into text a slice at a time with the event loop let through between them,
 * so one big answer never stalls the others. A small body goes out at once.
 */
function send(res: ServerResponse, status: number, body: unknown): Promise<void> {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  // never rejects: a connection that fails mid-answer is closed
  return writePieces(res, jsonTextPieces(body)).then(
    () => void res.end(),
    () => void res.destroy(),
  );
}

/** A request body over the limit: answered 413 with a message, not a reset connection. */
class BodyTooLargeError extends Error {
  constructor(max: number) {
    super(`the request body is larger than the API's limit of ${max.toLocaleString('en-US')} bytes (${Math.round(max / 1024 / 1024)} MB); send less (a spec with explicit weights this large is better given to nnlab train --spec FILE)`);
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * Reads a request body up to `max` bytes. Past it (or with a Content-Length past it) the body is
 * refused with BodyTooLargeError, and the rest is read and dropped rather than the connection
 * reset, so the client gets to read the 413 that says why.
 */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      req.resume();
      reject(new BodyTooLargeError(max));
      return;
    }
    let size = 0;
    let chunks: Buffer[] | null = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (chunks && size > max) {
        chunks = null;
        reject(new BodyTooLargeError(max));
      }
      chunks?.push(c);
    });
    req.on('end', () => {
      if (chunks) resolveBody(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

export function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const token = options.token ?? newToken();
  const handlers = createHandlers(options.lab, { database: options.database, maxWeights: options.maxWeights, opened: options.opened });
  const staticRoot = resolve(options.staticDir);
  // the build this server's API belongs to: the page on disk now (null: no built page there)
  const indexFile = join(staticRoot, 'index.html');
  const pageEntry = existsSync(indexFile) ? pageEntryOf(readFileSync(indexFile, 'utf8')) : null;
  const streams = new Set<ServerResponse>();
  let port = 0;

  const unsubscribe = options.lab.on((e) => {
    const data = `event: lab\ndata: ${JSON.stringify(toWireEvent(e))}\n\n`;
    for (const s of streams) s.write(data);
  });
  const keepAlive = setInterval(() => {
    for (const s of streams) s.write(': keep-alive\n\n');
  }, 15_000);
  keepAlive.unref();

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      send(res, 403, { ok: false, error: { name: 'ForbiddenError', message: 'unexpected Host header' } });
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      const auth = req.headers.authorization;
      const given = auth?.startsWith('Bearer ') ? auth.slice(7) : (url.searchParams.get('token') ?? '');
      if (!given || !sameToken(given, token)) {
        send(res, 401, { ok: false, error: { name: 'UnauthorizedError', message: 'missing or wrong access token' } });
        return;
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().has(origin)) {
        send(res, 403, { ok: false, error: { name: 'ForbiddenError', message: 'cross-origin requests are refused' } });
        return;
      }
      if (url.pathname === '/api/events') {
        if (req.method !== 'GET') {
          send(res, 405, { ok: false, error: { name: 'MethodError', message: 'use GET for /api/events' } });
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Content-Type-Options': 'nosniff' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      const pageOf = req.headers[PAGE_BUILD_HEADER];
      if (pageEntry !== null && typeof pageOf === 'string' && pageOf !== pageEntry) {
        send(res, 409, { ok: false, error: { name: 'StaleServerError', message: STALE_SERVER_MESSAGE } });
        return;
      }
      if (req.method !== 'POST') {
        send(res, 405, { ok: false, error: { name: 'MethodError', message: 'API calls are POST requests with a JSON body' } });
        return;
      }
      let body: unknown;
      try {
        const text = await readBody(req, options.maxBodyBytes ?? MAX_BODY_BYTES);
        body = text.trim() ? JSON.parse(text) : {};
      } catch (e) {
        if (e instanceof BodyTooLargeError) {
          res.setHeader('Connection', 'close');
          send(res, 413, { ok: false, error: { name: e.name, message: e.message } });
          return;
        }
        send(res, 400, { ok: false, error: { name: 'RequestError', message: `the request body is not valid JSON (${(e as Error).message})` } });
        return;
      }
      const { result, status } = await dispatch(handlers, url.pathname.slice('/api/'.length), body);
      await send(res, status, result);
      return;
    }
    serveStatic(url.pathname, req, res);
  }

  function serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = normalize(join(staticRoot, rel === '/' ? 'index.html' : rel));
    if (!(file === staticRoot || file.startsWith(staticRoot + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
      headers['Cache-Control'] = 'no-store';
      headers['X-Frame-Options'] = 'DENY';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { name: 'Error', message: (e as Error).message } });
      else res.end();
    });
  });

  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolveServer({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        close: () =>
          new Promise((done) => {
            unsubscribe();
            clearInterval(keepAlive);
            for (const s of streams) s.end();
            streams.clear();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

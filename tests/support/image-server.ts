import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local web server the tests point image_url at. Iris fetches from it over real HTTP
 * (the integration server runs with IMAGE_FETCH_ALLOW_PRIVATE=true).
 */
export interface ImageServer {
  url(path: string): string;
  /** Serve `body` at `path` with the given Content-Type (the caller's word, which Iris must not trust). */
  serve(path: string, body: Buffer, contentType?: string): void;
  /** Like serve, but calls `make` for every request (to count fetches). */
  serveWith(path: string, make: () => Buffer, contentType?: string): void;
  redirect(path: string, to: string): void;
  /** Accepts the request and never answers. */
  hang(path: string): void;
  /** Connections the server still holds open. */
  openConnections(): number;
  close(): Promise<void>;
}

export async function startImageServer(): Promise<ImageServer> {
  const routes = new Map<string, (res: ServerResponse) => void>();
  const server: Server = createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    route(res);
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: (path) => `${origin}${path}`,
    serve(path, body, contentType = 'image/png') {
      routes.set(path, (res) =>
        res.writeHead(200, { 'content-type': contentType, 'content-length': body.length }).end(body),
      );
    },
    serveWith(path, make, contentType = 'image/png') {
      routes.set(path, (res) => {
        const body = make();
        res.writeHead(200, { 'content-type': contentType, 'content-length': body.length }).end(body);
      });
    },
    redirect(path, to) {
      routes.set(path, (res) => res.writeHead(302, { location: to }).end());
    },
    hang(path) {
      routes.set(path, () => {});
    },
    openConnections: () => sockets.size,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

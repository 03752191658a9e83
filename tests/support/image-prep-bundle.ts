/**
 * Serves the real prepareImage to a browser without the Next app: esbuild bundles the harness (which imports
 * prepareImage) and the worker, and a tiny static server on 127.0.0.1 serves them. Shared by the Playwright spec
 * and bench/browser.mjs, which runs this file through Node's type stripping (so: erasable TypeScript only).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * prepareImage starts its worker with `new URL('./prepare-image.worker.ts', import.meta.url)`. Bundled into
 * /harness.js, that URL is /prepare-image.worker.ts, so the worker bundle is served under exactly that path.
 */
const HARNESS_PATH = '/harness.js';
const WORKER_PATH = '/prepare-image.worker.ts';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>image-prep harness</title>
<script type="module" src="${HARNESS_PATH}"></script></head><body></body></html>`;

export interface ImagePrepBundle {
  /** Served path → JavaScript. */
  files: Map<string, string>;
  /** Minified and gzipped sizes of what the app ships (prepareImage's own module and its worker), for the bench. */
  sizes: { prepareImageGzipBytes: number; workerGzipBytes: number };
}

export async function bundleImagePrep(): Promise<ImagePrepBundle> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: {
      harness: 'tests/support/image-prep-harness.ts',
      // Built only to be measured: what the chat page pays for importing prepareImage.
      'prepare-image': 'lib/client/image-prep/prepare-image.ts',
      'prepare-image.worker': 'lib/client/image-prep/prepare-image.worker.ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: 'image-prep-bundle',
    logLevel: 'silent',
  });
  const byEntry = new Map(result.outputFiles.map((file) => [path.basename(file.path), file.text]));
  const harness = byEntry.get('harness.js');
  const worker = byEntry.get('prepare-image.worker.js');
  const main = byEntry.get('prepare-image.js');
  if (harness === undefined || worker === undefined || main === undefined)
    throw new Error('esbuild did not emit the image-prep bundles');
  return {
    files: new Map([
      [HARNESS_PATH, harness],
      [WORKER_PATH, worker],
    ]),
    sizes: { prepareImageGzipBytes: gzipSync(main).length, workerGzipBytes: gzipSync(worker).length },
  };
}

export interface ImagePrepServer {
  /** The harness page; `window.imagePrepHarness` is set once its module has run. */
  url: string;
  bundle: ImagePrepBundle;
  close(): Promise<void>;
}

export async function serveImagePrep(): Promise<ImagePrepServer> {
  const bundle = await bundleImagePrep();
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const script = bundle.files.get(pathname);
    if (pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(PAGE);
    } else if (script !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      response.end(script);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    bundle,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

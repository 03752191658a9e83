/**
 * One module worker, created on first use and reused: it holds nothing between images, so there is no reason to
 * pay its start-up (a module fetch and parse) per image. `undefined` from runInWorker means "no worker here" and the
 * caller runs the same pipeline on the main thread.
 */

import { hasOffscreenSupport } from './canvas-codec';
import type { PipelineRequest, PipelineResult } from './pipeline';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

type Settle = (response: WorkerResponse | undefined) => void;

let worker: Worker | undefined;
/** Set once the worker failed to load or crashed: later images go straight to the main thread. */
let unavailable = false;
let nextId = 1;
const pending = new Map<number, Settle>();

function failAll(): void {
  unavailable = true;
  worker?.terminate();
  worker = undefined;
  for (const settle of pending.values()) settle(undefined);
  pending.clear();
}

function startWorker(): Worker | undefined {
  if (worker || unavailable) return worker;
  if (typeof Worker !== 'function' || !hasOffscreenSupport()) return undefined;
  try {
    // This exact expression is what Turbopack (and webpack, Vite, the tests' esbuild set-up) bundle as a worker entry.
    // Turbopack 16.4 drops `type: 'module'` and boots a classic worker that loads its chunks with importScripts, so
    // the worker's code must not need module-worker features (import.meta, top-level await).
    worker = new Worker(new URL('./prepare-image.worker.ts', import.meta.url), { type: 'module', name: 'image-prep' });
  } catch {
    unavailable = true;
    return undefined;
  }
  worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
    const settle = pending.get(event.data.id);
    pending.delete(event.data.id);
    settle?.(event.data);
  });
  // Fires when the script cannot load (CSP, a missing chunk) or the worker dies.
  worker.addEventListener('error', failAll);
  worker.addEventListener('messageerror', failAll);
  return worker;
}

/**
 * The pipeline's result from the worker, or undefined when it cannot run there. Aborting asks the worker to stop
 * at its next step; the promise still waits for the worker's answer, so the caller's queue knows when it is free.
 */
export function runInWorker(request: PipelineRequest, signal?: AbortSignal): Promise<PipelineResult | undefined> {
  const target = startWorker();
  if (!target) return Promise.resolve(undefined);
  const id = nextId++;
  return new Promise((resolve) => {
    const onAbort = () => target.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
    signal?.addEventListener('abort', onAbort, { once: true });
    pending.set(id, (response) => {
      signal?.removeEventListener('abort', onAbort);
      if (response && 'unsupported' in response) {
        // A worker without OffscreenCanvas will never manage; stop asking it (and hand back anything else queued).
        resolve(undefined);
        failAll();
      } else {
        resolve(response?.result);
      }
    });
    target.postMessage({ type: 'prepare', id, request } satisfies WorkerRequest);
  });
}

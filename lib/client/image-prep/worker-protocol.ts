import type { PipelineRequest, PipelineResult } from './pipeline';

/** Main thread → worker. */
export type WorkerRequest = { type: 'prepare'; id: number; request: PipelineRequest } | { type: 'cancel'; id: number };

/** Worker → main thread: the job's result, or "this worker cannot do it" (no OffscreenCanvas in workers). */
export type WorkerResponse = { id: number; result: PipelineResult } | { id: number; unsupported: true };

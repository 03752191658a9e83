import type { Caller } from '@/lib/auth';
import type { Config } from '@/lib/config';
import type { CallContext } from '@/lib/core/gemini-call';
import type { ModelTarget } from '@/lib/core/model-target';
import type { UpstreamErrorContext } from '@/lib/upstream-errors';

/**
 * What every OpenAI-format call needs around the core: an abort that fires when the caller hangs up or a stream
 * is cancelled downstream, and how upstream errors are named for this caller and this protocol's params.
 */
export function openAICallContext(
  request: Request,
  config: Config,
  caller: Caller,
  params: UpstreamErrorContext['params'],
) {
  const upstreamAbort = new AbortController();
  const abortSignal = AbortSignal.any([request.signal, upstreamAbort.signal]);
  const callContext: CallContext = { config, apiKey: caller.upstreamApiKey, abortSignal };
  const errorContext = (target: ModelTarget): UpstreamErrorContext => ({
    modelId: target.id,
    bringsOwnKey: caller.bringsOwnKey,
    secrets: [caller.upstreamApiKey],
    params,
  });
  return { upstreamAbort, abortSignal, callContext, errorContext };
}

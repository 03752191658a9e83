import type { ProviderMetadata } from 'ai';
import { argumentsText, thoughtSignatureOf } from '@/lib/openai/tool-calls';

/**
 * The SDK's streamed tool parts → OpenAI `delta.tool_calls` entries, as OpenAI streams them: a call's first delta
 * carries `index`, `id`, `type` and `function.name` with empty `arguments`; later deltas carry the `index` and
 * argument fragments only. Parallel calls are numbered 0, 1, … in the order Gemini starts them.
 */

export interface ToolCallChunk {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
  extra_content?: { google: { thought_signature: string } };
}

export type ToolStreamPart =
  | { type: 'tool-input-start'; id: string; toolName: string; providerMetadata?: ProviderMetadata }
  | { type: 'tool-input-delta'; id: string; delta: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown; providerMetadata?: ProviderMetadata };

interface OpenCall {
  index: number;
  sent: string;
}

export class ToolCallDeltas {
  readonly #calls = new Map<string, OpenCall>();
  readonly #parallel: boolean;

  /** With `parallel: false` only the first call is passed on (Gemini has no switch for parallel calls). */
  constructor(options: { parallel: boolean }) {
    this.#parallel = options.parallel;
  }

  /** How many calls have been passed on. */
  get count(): number {
    return this.#calls.size;
  }

  /** The deltas to send for one SDK part; each becomes one chunk. */
  accept(part: ToolStreamPart): ToolCallChunk[] {
    switch (part.type) {
      case 'tool-input-start': {
        const call = this.#open(part.id);
        if (!call) return [];
        return [header(call.index, part.id, part.toolName, part.providerMetadata)];
      }
      case 'tool-input-delta': {
        const call = this.#calls.get(part.id);
        if (!call || part.delta === '') return [];
        call.sent += part.delta;
        return [{ index: call.index, function: { arguments: part.delta } }];
      }
      case 'tool-call': {
        const known = this.#calls.get(part.toolCallId);
        const call = known ?? this.#open(part.toolCallId);
        if (!call) return [];
        const chunks = known ? [] : [header(call.index, part.toolCallId, part.toolName, part.providerMetadata)];
        // A call without argument deltas (no-argument calls, or a call that skipped the input parts) still owes
        // the caller its arguments; OpenAI sends "{}" for none.
        if (call.sent === '') {
          call.sent = argumentsText(part.input);
          chunks.push({ index: call.index, function: { arguments: call.sent } });
        }
        return chunks;
      }
    }
  }

  #open(id: string): OpenCall | undefined {
    if (this.#calls.has(id)) return undefined;
    if (!this.#parallel && this.#calls.size > 0) return undefined;
    const call = { index: this.#calls.size, sent: '' };
    this.#calls.set(id, call);
    return call;
  }
}

function header(index: number, id: string, name: string, metadata: ProviderMetadata | undefined): ToolCallChunk {
  const signature = thoughtSignatureOf(metadata);
  return {
    index,
    id,
    type: 'function',
    function: { name, arguments: '' },
    ...(signature ? { extra_content: { google: { thought_signature: signature } } } : {}),
  };
}

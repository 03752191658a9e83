import { randomBytes } from 'node:crypto';
import type { FinishReason, LanguageModelUsage, ProviderMetadata } from 'ai';
import type { ThoughtSignatures } from '@/lib/openai/responses/reasoning-seal';
import { incompleteReasonOf, type ResponseState, toResponseUsage } from '@/lib/openai/responses/response-object';
import { CUSTOM_TOOL_INPUT, type ResponsesToolCalling } from '@/lib/openai/responses/tools';
import { argumentsText, thoughtSignatureOf } from '@/lib/openai/tool-calls';

/**
 * Builds a response's `output` items from what Gemini produced, in order, and says what happened as Responses
 * stream events (without their `sequence_number`, which the encoder adds). The streamed and the non-streamed
 * answer both go through it, so they cannot disagree: a non-streamed answer is replayed through it part by part.
 */

export const newItemId = (prefix: 'msg' | 'fc' | 'rs' | 'ctc') => `${prefix}_${randomBytes(16).toString('hex')}`;

export type OutputItem =
  | {
      type: 'reasoning';
      id: string;
      summary: { type: 'summary_text'; text: string }[];
      encrypted_content?: string;
      status?: 'completed';
    }
  | {
      type: 'message';
      id: string;
      role: 'assistant';
      status: 'in_progress' | 'completed' | 'incomplete';
      content: { type: 'output_text'; text: string; annotations: UrlCitation[]; logprobs: never[] }[];
    }
  | {
      type: 'function_call';
      id: string;
      call_id: string;
      name: string;
      namespace?: string;
      arguments: string;
      status: 'in_progress' | 'completed';
    }
  | { type: 'custom_tool_call'; id: string; call_id: string; name: string; input: string; status?: 'completed' };

export type ResponseEvent = { type: string } & Record<string, unknown>;

/** A web page Gemini's Google Search grounding used; Gemini says which text it supports, the SDK does not pass it on. */
export interface UrlCitation {
  type: 'url_citation';
  url: string;
  title: string;
  start_index: number;
  end_index: number;
}

interface OpenCall {
  index: number;
  item: Extract<OutputItem, { type: 'function_call' | 'custom_tool_call' }>;
  sentDeltas: boolean;
}

export class OutputAssembler {
  readonly output: OutputItem[] = [];
  /** Thought signatures of the calls, by call id, to be sealed into a reasoning item. */
  readonly signatures: ThoughtSignatures = {};
  #reasoning: number | undefined;
  #message: number | undefined;
  readonly #calls = new Map<string, OpenCall>();
  readonly #citations: UrlCitation[] = [];
  readonly #tools: Pick<ResponsesToolCalling, 'customTools' | 'namespaced'>;
  readonly #parallel: boolean;

  constructor(options: {
    tools: Pick<ResponsesToolCalling, 'customTools' | 'namespaced'>;
    parallelToolCalls: boolean;
  }) {
    this.#tools = options.tools;
    this.#parallel = options.parallelToolCalls;
  }

  get text(): string {
    return this.output.flatMap((item) => (item.type === 'message' ? item.content.map((c) => c.text) : [])).join('');
  }

  reasoningDelta(text: string): ResponseEvent[] {
    if (!text) return [];
    const events = this.#closeMessage();
    if (this.#reasoning === undefined) {
      this.#reasoning = this.output.length;
      const item: OutputItem = { type: 'reasoning', id: newItemId('rs'), summary: [] };
      this.output.push(item);
      events.push(
        { type: 'response.output_item.added', output_index: this.#reasoning, item: structuredClone(item) },
        {
          type: 'response.reasoning_summary_part.added',
          item_id: item.id,
          output_index: this.#reasoning,
          summary_index: 0,
          part: { type: 'summary_text', text: '' },
        },
      );
      item.summary.push({ type: 'summary_text', text: '' });
    }
    const item = this.output[this.#reasoning] as Extract<OutputItem, { type: 'reasoning' }>;
    const summary = item.summary[0] as { text: string };
    summary.text += text;
    events.push({
      type: 'response.reasoning_summary_text.delta',
      item_id: item.id,
      output_index: this.#reasoning,
      summary_index: 0,
      delta: text,
    });
    return events;
  }

  textDelta(text: string): ResponseEvent[] {
    if (!text) return [];
    const events = this.#closeReasoning();
    if (this.#message === undefined) {
      this.#message = this.output.length;
      const item: OutputItem = {
        type: 'message',
        id: newItemId('msg'),
        role: 'assistant',
        status: 'in_progress',
        content: [],
      };
      this.output.push(item);
      events.push(
        { type: 'response.output_item.added', output_index: this.#message, item: structuredClone(item) },
        {
          type: 'response.content_part.added',
          item_id: item.id,
          output_index: this.#message,
          content_index: 0,
          part: emptyText(),
        },
      );
      item.content.push(emptyText());
    }
    const item = this.output[this.#message] as Extract<OutputItem, { type: 'message' }>;
    (item.content[0] as { text: string }).text += text;
    events.push({
      type: 'response.output_text.delta',
      item_id: item.id,
      output_index: this.#message,
      content_index: 0,
      delta: text,
      logprobs: [],
    });
    return events;
  }

  toolInputStart(id: string, toolName: string, providerExecuted?: boolean): ResponseEvent[] {
    // Gemini runs its own Google Search; only its sources come back (source()).
    if (providerExecuted) return [];
    return this.#openCall(id, toolName) ?? [];
  }

  /** A web source of Google Search grounding: a `url_citation` on the answer's text, once the text is complete. */
  source(part: { sourceType: string; url?: string; title?: string }): ResponseEvent[] {
    if (part.sourceType !== 'url' || !part.url) return [];
    if (this.#citations.some((c) => c.url === part.url)) return [];
    this.#citations.push({
      type: 'url_citation',
      url: part.url,
      title: part.title ?? part.url,
      start_index: 0,
      end_index: 0,
    });
    return [];
  }

  toolInputDelta(id: string, delta: string): ResponseEvent[] {
    const call = this.#calls.get(id);
    if (!call || !delta || call.item.type !== 'function_call') return [];
    call.item.arguments += delta;
    call.sentDeltas = true;
    return [{ type: 'response.function_call_arguments.delta', item_id: call.item.id, output_index: call.index, delta }];
  }

  toolCall(part: {
    toolCallId: string;
    toolName: string;
    input: unknown;
    providerExecuted?: boolean;
    providerMetadata?: ProviderMetadata;
  }) {
    if (part.providerExecuted) return [];
    const events = this.#calls.has(part.toolCallId) ? [] : (this.#openCall(part.toolCallId, part.toolName) ?? []);
    const call = this.#calls.get(part.toolCallId);
    if (!call) return events;
    const signature = thoughtSignatureOf(part.providerMetadata);
    if (signature) this.signatures[call.item.call_id] = signature;
    const { item } = call;
    if (item.type === 'custom_tool_call') {
      const input = (part.input as Record<string, unknown> | undefined)?.[CUSTOM_TOOL_INPUT];
      item.input = typeof input === 'string' ? input : argumentsText(part.input);
      item.status = 'completed';
      events.push(
        {
          type: 'response.custom_tool_call_input.delta',
          item_id: item.id,
          output_index: call.index,
          delta: item.input,
        },
        { type: 'response.custom_tool_call_input.done', item_id: item.id, output_index: call.index, input: item.input },
      );
    } else {
      // The SDK's final arguments are the truth; without deltas (a call that skipped them) they go out whole.
      const full = argumentsText(part.input);
      if (!call.sentDeltas) {
        events.push({
          type: 'response.function_call_arguments.delta',
          item_id: item.id,
          output_index: call.index,
          delta: full,
        });
      }
      item.arguments = full;
      item.status = 'completed';
      events.push({
        type: 'response.function_call_arguments.done',
        item_id: item.id,
        output_index: call.index,
        name: item.name,
        arguments: full,
      });
    }
    events.push({ type: 'response.output_item.done', output_index: call.index, item: structuredClone(item) });
    return events;
  }

  /**
   * Closes what is still open (`incomplete` when Gemini stopped early: length, content filter) and seals the calls'
   * thought signatures into a trailing reasoning item; returns the events and the response's final state.
   */
  async finish(
    part: { finishReason: FinishReason; rawFinishReason?: string; totalUsage: LanguageModelUsage },
    seal: (signatures: ThoughtSignatures) => Promise<string>,
  ): Promise<{ events: ResponseEvent[]; state: Omit<ResponseState, 'output'> }> {
    const incompleteReason = incompleteReasonOf(part.finishReason, part.rawFinishReason);
    const events = [...this.#citeSources(), ...this.#closeReasoning()];
    events.push(...this.#closeMessage(incompleteReason ? 'incomplete' : 'completed'));
    if (Object.keys(this.signatures).length > 0) events.push(...this.#addSealedReasoning(await seal(this.signatures)));
    const status = incompleteReason ? 'incomplete' : 'completed';
    return { events, state: { status, usage: toResponseUsage(part.totalUsage), incompleteReason } };
  }

  /**
   * The sources cite the last answer text as a whole: Gemini's grounding supports say which span each page backs,
   * but the AI SDK passes on only the pages.
   */
  #citeSources(): ResponseEvent[] {
    const index = this.output.findLastIndex((item) => item.type === 'message');
    const item = this.output[index];
    const part = item?.type === 'message' ? item.content[0] : undefined;
    if (item === undefined || part === undefined) return [];
    // A message already closed (a call came after it) gets its citations without events: they were not streamed.
    const streamed = this.#message === index;
    return this.#citations.flatMap((citation) => {
      const annotation = { ...citation, end_index: part.text.length };
      part.annotations.push(annotation);
      if (!streamed) return [];
      return [
        {
          type: 'response.output_text.annotation.added',
          item_id: item.id,
          output_index: index,
          content_index: 0,
          annotation_index: part.annotations.length - 1,
          annotation,
        },
      ];
    });
  }

  /** Appends the reasoning item carrying the sealed signatures (see reasoning-seal.ts). */
  #addSealedReasoning(encrypted: string): ResponseEvent[] {
    const index = this.output.length;
    const item: OutputItem = { type: 'reasoning', id: newItemId('rs'), summary: [], encrypted_content: encrypted };
    this.output.push(item);
    return [
      { type: 'response.output_item.added', output_index: index, item: structuredClone(item) },
      { type: 'response.output_item.done', output_index: index, item: structuredClone(item) },
    ];
  }

  #openCall(id: string, toolName: string): ResponseEvent[] | undefined {
    if (this.#calls.has(id)) return undefined;
    // Gemini has no switch for parallel calls: `false` is honoured by passing on only the first.
    if (!this.#parallel && this.#calls.size > 0) return undefined;
    const events = [...this.#closeReasoning(), ...this.#closeMessage()];
    const index = this.output.length;
    let item: OpenCall['item'];
    if (this.#tools.customTools.has(toolName)) {
      item = { type: 'custom_tool_call', id: newItemId('ctc'), call_id: id, name: toolName, input: '' };
    } else {
      const namespaced = this.#tools.namespaced.get(toolName);
      item = {
        type: 'function_call',
        id: newItemId('fc'),
        call_id: id,
        name: namespaced?.name ?? toolName,
        ...(namespaced ? { namespace: namespaced.namespace } : {}),
        arguments: '',
        status: 'in_progress',
      };
    }
    this.output.push(item);
    this.#calls.set(id, { index, item, sentDeltas: false });
    events.push({ type: 'response.output_item.added', output_index: index, item: structuredClone(item) });
    return events;
  }

  #closeReasoning(): ResponseEvent[] {
    if (this.#reasoning === undefined) return [];
    const index = this.#reasoning;
    this.#reasoning = undefined;
    const item = this.output[index] as Extract<OutputItem, { type: 'reasoning' }>;
    const text = item.summary[0]?.text ?? '';
    item.status = 'completed';
    return [
      { type: 'response.reasoning_summary_text.done', item_id: item.id, output_index: index, summary_index: 0, text },
      {
        type: 'response.reasoning_summary_part.done',
        item_id: item.id,
        output_index: index,
        summary_index: 0,
        part: { type: 'summary_text', text },
      },
      { type: 'response.output_item.done', output_index: index, item: structuredClone(item) },
    ];
  }

  #closeMessage(status: 'completed' | 'incomplete' = 'completed'): ResponseEvent[] {
    if (this.#message === undefined) return [];
    const index = this.#message;
    this.#message = undefined;
    const item = this.output[index] as Extract<OutputItem, { type: 'message' }>;
    const part = item.content[0] ?? emptyText();
    item.status = status;
    return [
      {
        type: 'response.output_text.done',
        item_id: item.id,
        output_index: index,
        content_index: 0,
        text: part.text,
        logprobs: [],
      },
      { type: 'response.content_part.done', item_id: item.id, output_index: index, content_index: 0, part },
      { type: 'response.output_item.done', output_index: index, item: structuredClone(item) },
    ];
  }
}

function emptyText() {
  return { type: 'output_text' as const, text: '', annotations: [] as UrlCitation[], logprobs: [] as never[] };
}

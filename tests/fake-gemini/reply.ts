import { randomBytes } from 'node:crypto';
import { samplingNote } from './candidates.ts';
import type { Scenario } from './directives.ts';
import { groundingMetadata } from './grounding.ts';
import type { Inspection } from './inspect.ts';
import { includeThoughts, jsonAnswerText } from './json-and-thoughts.ts';

/**
 * Builds GenerateContentResponse bodies in the exact shape of the recordings in tests/fixtures/gemini-wire/, with
 * content derived from what arrived so tests can prove it arrived intact.
 */

type Json = Record<string, unknown>;

export interface ReplyContext {
  model: string;
  inspection: Inspection;
  scenario: Scenario;
  responseId: string;
}

// Same length and alphabet as Google's ids, e.g. "bH6LaZW8Fp_3nsEPqtaSwQ4".
export const newResponseId = (): string => randomBytes(17).toString('base64url').slice(0, 23);

const IMAGE_TOKENS = 258;
const PROMPT_QUOTE_LIMIT = 200;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function answerText(i: Inspection): string {
  const images =
    i.images.length === 0
      ? 'no images'
      : `${plural(i.images.length, 'image')} (${i.images
          .map((img) => `${img.mimeType} ${img.bytes} bytes sha256 ${img.sha256.slice(0, 12)}`)
          .join('; ')})`;
  const files =
    i.fileUris.length === 0 ? '' : ` and ${plural(i.fileUris.length, 'file URI')} (${i.fileUris.join('; ')})`;
  const system = i.hasSystemInstruction ? ' with a system instruction' : '';
  const prompt =
    i.lastUserText.length > PROMPT_QUOTE_LIMIT ? `${i.lastUserText.slice(0, PROMPT_QUOTE_LIMIT)}…` : i.lastUserText;
  return `Fake Gemini received ${images}${files} in ${plural(i.turns, 'turn')}${system}. Last prompt: ${JSON.stringify(prompt)}${samplingNote(i.generationConfig)}`;
}

export const thoughtText = (i: Inspection): string =>
  `**Counting what arrived**\n\nThe request has ${plural(i.turns, 'turn')} and ${plural(i.images.length, 'image')}. I will describe them.`;

const wordCount = (text: string) => text.match(/\S+/g)?.length ?? 0;

/** Word-sized pieces whose concatenation is exactly `text`. */
const words = (text: string): string[] => text.match(/\s*\S+\s*/g) ?? [];

/** Splits `text` at word boundaries into at most `n` pieces of near-equal word counts. */
export function splitIntoChunks(text: string, n: number): string[] {
  const tokens = words(text);
  const count = Math.max(1, Math.min(n, tokens.length));
  const base = Math.floor(tokens.length / count);
  const extra = tokens.length % count;
  const chunks: string[] = [];
  let at = 0;
  for (let k = 0; k < count; k++) {
    const size = base + (k < extra ? 1 : 0);
    chunks.push(tokens.slice(at, at + size).join(''));
    at += size;
  }
  return chunks;
}

const SAFETY_RATINGS = [
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
];

type FinishReason = 'STOP' | 'MAX_TOKENS' | 'SAFETY' | 'RECITATION';

interface Plan {
  /** Text pieces sent before the finish; in a non-stream reply they are joined into one part. */
  pieces: string[];
  finishReason: FinishReason;
  /** SAFETY/RECITATION: the finishing candidate carries no content (non-stream: no content at all). */
  filtered: boolean;
}

function plan(ctx: ReplyContext): Plan {
  const { inspection, scenario } = ctx;
  const full =
    jsonAnswerText(inspection.generationConfig, inspection.lastUserText, answerText(inspection)) ??
    answerText(inspection);
  const total = wordCount(full);
  if (scenario.outcome === 'safety' || scenario.outcome === 'recitation') {
    const pieces = splitIntoChunks(full, scenario.chunks);
    return {
      pieces: pieces.slice(0, Math.floor(pieces.length / 2)),
      finishReason: scenario.outcome === 'safety' ? 'SAFETY' : 'RECITATION',
      filtered: true,
    };
  }
  // Like Gemini, a maxOutputTokens below the answer's length truncates it; [fake:max-tokens] forces that.
  let limit = inspection.maxOutputTokens ?? total;
  if (scenario.outcome === 'max-tokens') limit = Math.min(limit, Math.max(1, Math.ceil(total / 2)));
  const text = limit < total ? words(full).slice(0, limit).join('').trimEnd() : full;
  return {
    pieces: splitIntoChunks(text, scenario.chunks),
    finishReason: limit < total ? 'MAX_TOKENS' : 'STOP',
    filtered: false,
  };
}

function usage(ctx: ReplyContext, candidateWords: number): Json {
  const { inspection, scenario } = ctx;
  const textTokens = Math.ceil(inspection.promptChars / 4);
  const imageTokens = IMAGE_TOKENS * inspection.images.length;
  const promptTokens = textTokens + imageTokens;
  const thoughts = scenario.thinking ? wordCount(thoughtText(inspection)) : 0;
  // Zero counts are left out, as proto3 JSON (and so Gemini) does.
  const details = [
    { modality: 'TEXT', tokenCount: textTokens },
    { modality: 'IMAGE', tokenCount: imageTokens },
  ].filter((d) => d.tokenCount > 0);
  return {
    promptTokenCount: promptTokens,
    ...(candidateWords > 0 ? { candidatesTokenCount: candidateWords } : {}),
    totalTokenCount: promptTokens + candidateWords + thoughts,
    ...(details.length > 0 ? { promptTokensDetails: details } : {}),
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  };
}

const thoughtSignature = (ctx: ReplyContext) =>
  Buffer.from(`fake-thought-signature:${ctx.responseId}:${ctx.model}`).toString('base64');

interface CandidateInit {
  parts: Json[] | null;
  finishReason?: FinishReason;
  candidateWords: number;
  /** The whole answer's text, for the grounding of the finishing candidate. */
  answer?: string;
}

function response(ctx: ReplyContext, { parts, finishReason, candidateWords, answer }: CandidateInit): Json {
  const candidate: Json = {};
  if (parts !== null) candidate.content = { parts, role: 'model' };
  if (finishReason !== undefined) candidate.finishReason = finishReason;
  if (finishReason !== undefined && answer !== undefined && ctx.inspection.googleSearch) {
    candidate.groundingMetadata = groundingMetadata(ctx.inspection, answer);
  }
  candidate.index = 0;
  if (finishReason === 'SAFETY') candidate.safetyRatings = SAFETY_RATINGS;
  return {
    candidates: [candidate],
    usageMetadata: usage(ctx, candidateWords),
    modelVersion: ctx.model,
    responseId: ctx.responseId,
  };
}

function blocked(ctx: ReplyContext): Json {
  return {
    promptFeedback: { blockReason: 'SAFETY', safetyRatings: SAFETY_RATINGS },
    usageMetadata: usage(ctx, 0),
    modelVersion: ctx.model,
    responseId: ctx.responseId,
  };
}

// Gemini thinks either way; it returns thought summaries only when asked to.
const showsThoughts = (ctx: ReplyContext) => ctx.scenario.thinking && includeThoughts(ctx.inspection.generationConfig);

/** The body of a `:generateContent` reply. */
export function generateContentResponse(ctx: ReplyContext): Json {
  if (ctx.scenario.outcome === 'blocked') return blocked(ctx);
  const p = plan(ctx);
  if (p.filtered) return response(ctx, { parts: null, finishReason: p.finishReason, candidateWords: 0 });
  const text = p.pieces.join('');
  const parts: Json[] = [];
  if (ctx.scenario.thinking) {
    if (showsThoughts(ctx)) parts.push({ text: thoughtText(ctx.inspection), thought: true });
    parts.push({ text, thoughtSignature: thoughtSignature(ctx) });
  } else parts.push({ text });
  return response(ctx, { parts, finishReason: p.finishReason, candidateWords: wordCount(text), answer: text });
}

/** The chunks of a `:streamGenerateContent?alt=sse` reply; finishReason and final usage only on the last. */
export function streamChunks(ctx: ReplyContext): Json[] {
  if (ctx.scenario.outcome === 'blocked') return [blocked(ctx)];
  const p = plan(ctx);
  const chunks: Json[] = [];
  if (showsThoughts(ctx)) {
    chunks.push(response(ctx, { parts: [{ text: thoughtText(ctx.inspection), thought: true }], candidateWords: 0 }));
  }
  let sent = 0;
  for (const [k, piece] of p.pieces.entries()) {
    sent += wordCount(piece);
    const last = k === p.pieces.length - 1 && !p.filtered;
    const part: Json = { text: piece };
    if (last && ctx.scenario.thinking) part.thoughtSignature = thoughtSignature(ctx);
    chunks.push(
      response(ctx, {
        parts: [part],
        candidateWords: sent,
        ...(last ? { finishReason: p.finishReason, answer: p.pieces.join('') } : {}),
      }),
    );
  }
  if (p.filtered) chunks.push(response(ctx, { parts: null, finishReason: p.finishReason, candidateWords: sent }));
  return chunks;
}

/** An HTTP 200 body that is not JSON, for [fake:malformed]. */
export const MALFORMED_JSON =
  '{"candidates":[{"content":{"parts":[{"text":"Fake Gemini sent broken JSON on purpose"},]}';

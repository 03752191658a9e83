/**
 * `[fake:…]` directives in the last user turn steer the fake. One outcome at most; modifiers combine with it.
 *
 * Outcomes: [fake:NNN] (an HTTP error, 400-599, e.g. 429 with RetryInfo, 503 overloaded), safety, recitation,
 * blocked, max-tokens, hang, stall, cut, malformed.
 * Modifiers: thinking, delay:MS, chunk-delay:MS, chunks:N.
 * [fake:json:RAW] forces the answer text; it is read by json-and-thoughts.ts.
 * [fake:call:NAME:{…}] and [fake:stream-args] make function calls; they are read by function-calls.ts.
 */

import { isFunctionCallDirective } from './function-calls.ts';

export type Outcome =
  | 'ok'
  | 'error'
  | 'safety'
  | 'recitation'
  | 'blocked'
  | 'max-tokens'
  | 'hang'
  | 'stall'
  | 'cut'
  | 'malformed';

export interface Scenario {
  outcome: Outcome;
  /** The HTTP status when outcome is 'error'. */
  errorStatus: number;
  thinking: boolean;
  delayMs: number;
  chunkDelayMs: number;
  chunks: number;
}

export const DEFAULT_CHUNKS = 4;
const MAX_DELAY_MS = 10 * 60 * 1000;

const OUTCOMES = new Set<Outcome>([
  'safety',
  'recitation',
  'blocked',
  'max-tokens',
  'hang',
  'stall',
  'cut',
  'malformed',
]);

const DIRECTIVE = /\[fake:([^\]]*)\]/g;

export type ParsedDirectives = { ok: true; scenario: Scenario } | { ok: false; message: string };

function parseCount(raw: string | undefined, min: number, max: number): number | null {
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

// Unknown or contradictory directives are refused loudly: a silently ignored typo would make a test pass for the
// wrong reason.
export function parseDirectives(text: string): ParsedDirectives {
  const scenario: Scenario = {
    outcome: 'ok',
    errorStatus: 0,
    thinking: false,
    delayMs: 0,
    chunkDelayMs: 0,
    chunks: DEFAULT_CHUNKS,
  };
  for (const match of text.matchAll(DIRECTIVE)) {
    const problem = apply(scenario, match[1] ?? '');
    if (problem !== null) return { ok: false, message: `Fake Gemini: ${problem}` };
  }
  return { ok: true, scenario };
}

/** Applies one directive to the scenario; returns what is wrong with it, or null. */
function apply(scenario: Scenario, raw: string): string | null {
  const [name = '', arg, ...rest] = raw.split(':');
  if (name === 'json' && arg !== undefined) return null;
  if (isFunctionCallDirective(raw)) return null;
  if (rest.length > 0) return `malformed directive [fake:${raw}].`;
  if (name === 'thinking' && arg === undefined) {
    scenario.thinking = true;
    return null;
  }
  if (name === 'delay' || name === 'chunk-delay' || name === 'chunks') {
    const n = name === 'chunks' ? parseCount(arg, 1, 1000) : parseCount(arg, 0, MAX_DELAY_MS);
    if (n === null) return `[fake:${raw}] needs a whole number in range.`;
    if (name === 'delay') scenario.delayMs = n;
    else if (name === 'chunk-delay') scenario.chunkDelayMs = n;
    else scenario.chunks = n;
    return null;
  }
  const status = /^\d{3}$/.test(name) ? Number(name) : null;
  const outcome = status !== null ? 'error' : OUTCOMES.has(name as Outcome) ? (name as Outcome) : null;
  if (outcome === null || arg !== undefined) return `unknown directive [fake:${raw}].`;
  if (status !== null && (status < 400 || status > 599)) return `[fake:${raw}] is not an HTTP error status.`;
  if (scenario.outcome !== 'ok') return `[fake:${raw}] conflicts with an earlier outcome directive.`;
  scenario.outcome = outcome;
  scenario.errorStatus = status ?? 0;
  return null;
}

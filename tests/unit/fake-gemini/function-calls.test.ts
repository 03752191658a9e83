import { describe, expect, it } from 'vitest';
import { parseDirectives } from '../../fake-gemini/directives.ts';
import {
  parseCallDirectives,
  recordFunctionCalling,
  validateFunctionCalling,
} from '../../fake-gemini/function-calls.ts';

/** The fake's function-calling rules: they decide whether the integration tests can catch a broken round trip. */

const user = (text: string) => ({ role: 'user', parts: [{ text }] });
const modelCalls = (...signatures: (string | undefined)[]) => ({
  role: 'model',
  parts: signatures.map((s, k) => ({
    functionCall: { name: 'f', args: { k } },
    ...(s === undefined ? {} : { thoughtSignature: s }),
  })),
});
const responses = (n: number) => ({
  role: 'user',
  parts: Array.from({ length: n }, () => ({ functionResponse: { name: 'f', response: { name: 'f', content: 'x' } } })),
});

describe('fake Gemini function-call directives', () => {
  it('reads names and JSON arguments, including brackets inside the JSON, in order', () => {
    expect(parseCallDirectives('a [fake:call:f:{"ids":[1,2],"q":"x]"}] b [fake:call:g] [fake:call:h.v2:{}]')).toEqual([
      { name: 'f', args: { ids: [1, 2], q: 'x]' } },
      { name: 'g' },
      { name: 'h.v2', args: {} },
    ]);
  });

  it('leaves call directives to this module, so the outcome parser does not refuse them', () => {
    expect(parseDirectives('[fake:call:f:{"a":1}] [fake:stream-args] [fake:chunks:2]').ok).toBe(true);
  });

  it('refuses arguments that are not a JSON object', () => {
    expect(validateFunctionCalling({ contents: [user('[fake:call:f:{oops}]')] }, 'gemini-2.5-flash')).toMatch(
      /needs a JSON object/,
    );
  });
});

describe('fake Gemini refuses what Gemini refuses', () => {
  it('requires a thought signature on the first call of each Gemini 3 call turn of the current turn', () => {
    const missing = { contents: [user('q'), modelCalls(undefined), responses(1)] };
    expect(validateFunctionCalling(missing, 'gemini-3-flash-preview')).toMatch(/missing a thought_signature/);
    expect(validateFunctionCalling(missing, 'gemini-2.5-flash')).toBeNull();
    // Parallel calls: only the first is signed; the documented skip value passes.
    const signed = { contents: [user('q'), modelCalls('sig', undefined), responses(2)] };
    expect(validateFunctionCalling(signed, 'gemini-3-flash-preview')).toBeNull();
    const skipped = { contents: [user('q'), modelCalls('skip_thought_signature_validator'), responses(1)] };
    expect(validateFunctionCalling(skipped, 'gemini-3-flash-preview')).toBeNull();
    // Earlier turns (before the last prompt) are not checked.
    const earlier = { contents: [user('q'), modelCalls(undefined), responses(1), user('next')] };
    expect(validateFunctionCalling(earlier, 'gemini-3-flash-preview')).toBeNull();
  });

  it('requires as many function responses as calls', () => {
    const body = { contents: [user('q'), modelCalls('s', undefined), responses(1)] };
    expect(validateFunctionCalling(body, 'gemini-2.5-flash')).toMatch(/number of function response parts/);
  });

  it('refuses bad function names and $ref with siblings', () => {
    const declare = (declaration: unknown) => ({
      contents: [user('q')],
      tools: [{ functionDeclarations: [declaration] }],
    });
    expect(validateFunctionCalling(declare({ name: '9x' }), 'm')).toMatch(/Invalid function name/);
    expect(
      validateFunctionCalling(
        declare({ name: 'f', parametersJsonSchema: { properties: { a: { $ref: '#/$defs/A', type: 'object' } } } }),
        'm',
      ),
    ).toMatch(/alongside unsupported fields/);
  });

  it('records tools, toolConfig and every function part with its signature', () => {
    const body = {
      contents: [user('q'), modelCalls('sig'), responses(1)],
      tools: [{ functionDeclarations: [{ name: 'f' }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    };
    expect(recordFunctionCalling(body)).toEqual({
      tools: body.tools,
      toolConfig: body.toolConfig,
      parts: [
        { turn: 1, role: 'model', functionCall: { name: 'f', args: { k: 0 } }, thoughtSignature: 'sig' },
        { turn: 2, role: 'user', functionResponse: { name: 'f', response: { name: 'f', content: 'x' } } },
      ],
    });
    expect(recordFunctionCalling({ contents: [user('q')] })).toBeNull();
  });
});

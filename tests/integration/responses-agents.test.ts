import { Agent, run, setDefaultOpenAIClient, setOpenAIAPI, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GATEWAY_KEYS } from '../support/constants.ts';
import { irisUrl, newTag, upstreamRequests } from '../support/iris.ts';

/** The OpenAI Agents SDK, which speaks only the Responses API by default, running an agent through Iris. */

describe('the OpenAI Agents SDK', () => {
  it('runs an agent with a function tool to its final answer on Gemini 3', async () => {
    // Traces would be sent to OpenAI; the client is Iris.
    setTracingDisabled(true);
    setOpenAIAPI('responses');
    setDefaultOpenAIClient(new OpenAI({ baseURL: `${irisUrl()}/v1`, apiKey: GATEWAY_KEYS[0], maxRetries: 0 }));

    const calls: string[] = [];
    const getWeather = tool({
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        calls.push(city);
        return `It is sunny in ${city}.`;
      },
    });
    const agent = new Agent({
      name: 'Weather agent',
      instructions: 'You answer questions about the weather, using the tool.',
      model: 'gemini-3.8-flash',
      tools: [getWeather],
    });
    const tag = newTag();
    const result = await run(agent, `Weather in Lima? [tag:${tag}] [fake:call:get_weather:{"city":"Lima"}]`);

    expect(calls).toEqual(['Lima']);
    expect(result.finalOutput).toContain('It is sunny in Lima.');
    const upstream = await upstreamRequests(tag);
    expect(upstream).toHaveLength(2);
    // The second call carried the function call back with its signature (the fake refuses Gemini 3 calls without).
    const parts = upstream[1]?.functionCalling?.parts ?? [];
    expect(parts[0]?.functionCall).toMatchObject({ name: 'get_weather', args: { city: 'Lima' } });
    expect(parts[0]?.thoughtSignature).toMatch(/.+/);
    const body = upstream[0]?.body as { systemInstruction?: { parts: { text: string }[] } };
    expect(body.systemInstruction?.parts[0]?.text).toContain('You answer questions about the weather');
  });
});

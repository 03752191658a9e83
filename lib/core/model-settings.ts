import type { GenerationSettings } from '@/lib/core/gemini-call';
import type { ModelTarget } from '@/lib/core/model-target';

/**
 * Settings checked against Gemini's metadata for the model that serves (outputTokenLimit, maxTemperature,
 * thinking), so a request Gemini would refuse or silently cut is refused up front, saying why. The core names
 * settings as the AI SDK does; each adapter says which of its params carries each one (UpstreamErrorContext.params).
 */
export type CheckedSetting = 'reasoning' | 'maxOutputTokens' | 'temperature';

export class UnsupportedSettingError extends Error {
  override name = 'UnsupportedSettingError';

  constructor(
    readonly setting: CheckedSetting,
    readonly value: unknown,
    /** Completes "<param> <value> …", e.g. "is above gemini-x's maximum of 1." */
    readonly because: string,
  ) {
    super(`${setting} ${JSON.stringify(value)} ${because}`);
  }

  static isInstance(error: unknown): error is UnsupportedSettingError {
    return error instanceof Error && error.name === 'UnsupportedSettingError';
  }
}

export function checkModelSettings(target: ModelTarget, settings: GenerationSettings): void {
  const { info } = target;
  const { maxOutputTokens, temperature } = settings;
  if (
    maxOutputTokens !== undefined &&
    info?.outputTokenLimit !== undefined &&
    maxOutputTokens > info.outputTokenLimit
  ) {
    throw new UnsupportedSettingError(
      'maxOutputTokens',
      maxOutputTokens,
      `is more than ${target.id} can write: its output limit is ${info.outputTokenLimit} tokens.`,
    );
  }
  if (temperature !== undefined && info?.maxTemperature !== undefined && temperature > info.maxTemperature) {
    throw new UnsupportedSettingError(
      'temperature',
      temperature,
      `is above ${target.id}'s maximum of ${info.maxTemperature}.`,
    );
  }
}

/** The chat clamps its saved settings instead: a preference set on one model must not break another. */
export function clampToModel(target: ModelTarget, settings: GenerationSettings): GenerationSettings {
  const { info } = target;
  return {
    ...settings,
    maxOutputTokens: clamp(settings.maxOutputTokens, info?.outputTokenLimit),
    temperature: clamp(settings.temperature, info?.maxTemperature),
  };
}

function clamp(value: number | undefined, max: number | undefined): number | undefined {
  return value === undefined || max === undefined ? value : Math.min(value, max);
}

import { z } from 'zod';
import { PROVIDERS } from './agent.js';

/** Bounds of `timeout`: a planner answer takes seconds to minutes; an hour means something is stuck. */
export const MAX_TIMEOUT_SECONDS = 3600;

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

const hasUserInfo = (text: string): boolean => {
  try {
    const url = new URL(text);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
};

/**
 * One schema per setting, shared by the config file and the environment variables so both say the
 * same thing about the same mistake. Messages complete "<setting> ...".
 */
export const LLM_FIELDS = {
  provider: z.enum(PROVIDERS, { error: `must be one of ${PROVIDERS.join(', ')}` }),
  base_url: z
    .string({ error: 'must be a URL' })
    .refine(isHttpUrl, {
      message: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:11434/v1 for Ollama',
    })
    // fetch refuses such URLs, and a password there would be shown wherever the URL is.
    .refine((text) => !hasUserInfo(text), {
      message: 'must not hold a user or password; put the key in AUTOMATOS_LLM_API_KEY',
    }),
  model: z
    .string({ error: 'must be a model name' })
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(200, { message: 'must be at most 200 characters' }),
  api_key: z.string({ error: 'must be a string' }).min(1, { message: 'must not be empty' }),
  timeout: z
    .number({ error: `must be a number of seconds` })
    .positive({ message: `must be greater than 0 seconds` })
    .max(MAX_TIMEOUT_SECONDS, { message: `must be at most ${MAX_TIMEOUT_SECONDS} seconds` }),
} as const;

export type LlmField = keyof typeof LLM_FIELDS;

/** The `llm:` section of DATA_DIR/config.yaml; every setting optional, unknown ones refused. */
export const LlmSectionSchema = z.strictObject({
  provider: LLM_FIELDS.provider.optional(),
  base_url: LLM_FIELDS.base_url.optional(),
  model: LLM_FIELDS.model.optional(),
  api_key: LLM_FIELDS.api_key.optional(),
  timeout: LLM_FIELDS.timeout.optional(),
});
export type LlmSection = z.output<typeof LlmSectionSchema>;

export const LLM_SETTING_NAMES = Object.keys(LLM_FIELDS) as LlmField[];

/** Narrowing helpers for JSON from the repo: it is untrusted and any field may have any type. */
export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getString(obj: unknown, key: string): string | null {
  const value = isRecord(obj) ? obj[key] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export function getRecord(obj: unknown, key: string): JsonRecord {
  const value = isRecord(obj) ? obj[key] : undefined;
  return isRecord(value) ? value : {};
}

/** A string map such as `scripts` or `dependencies`, dropping non-string values. */
export function getStringMap(obj: unknown, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(getRecord(obj, key))) if (typeof v === 'string') out[k] = v;
  return out;
}

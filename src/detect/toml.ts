/**
 * Just enough TOML for project files (pyproject.toml, Cargo.toml, Pipfile): tables, dotted
 * table headers, array-of-tables headers, strings, numbers, booleans, (multi-line) arrays of
 * scalars. Inline tables are kept as their raw text. Anything unparsable is skipped rather than
 * failing: detection must degrade, never throw, on odd files.
 */
export type TomlValue = string | number | boolean | TomlValue[];
export type TomlTable = Record<string, TomlValue>;

export interface TomlDocument {
  /** Tables by header (`project`, `tool.poetry.dependencies`); `` is the root table. */
  tables: Record<string, TomlTable>;
  /** `[[bin]]` style arrays, by header. */
  arrays: Record<string, TomlTable[]>;
}

export function parseToml(text: string): TomlDocument {
  const doc: TomlDocument = { tables: { '': {} }, arrays: {} };
  let current: TomlTable = doc.tables[''] ?? {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = stripComment(lines[i] ?? '').trim();
    if (line === '') continue;
    const arrayHeader = line.match(/^\[\[\s*([^\]]+?)\s*\]\]$/);
    const header = line.match(/^\[\s*([^\]]+?)\s*\]$/);
    if (arrayHeader?.[1]) {
      current = {};
      (doc.arrays[unquote(arrayHeader[1])] ??= []).push(current);
      continue;
    }
    if (header?.[1]) {
      current = doc.tables[unquote(header[1])] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = unquote(line.slice(0, eq).trim());
    let raw = line.slice(eq + 1).trim();
    // Multi-line arrays: keep reading until the brackets balance.
    while (raw.startsWith('[') && depth(raw) > 0 && i + 1 < lines.length) {
      raw += ' ' + stripComment(lines[++i] ?? '').trim();
    }
    const value = parseValue(raw);
    if (value !== undefined) current[key] = value;
  }
  return doc;
}

function unquote(key: string): string {
  return key
    .split('.')
    .map((part) => part.trim().replace(/^["']|["']$/g, ''))
    .join('.');
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote && line[i - 1] !== '\\') quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return line.slice(0, i);
  }
  return line;
}

function depth(raw: string): number {
  let d = 0;
  let quote: string | null = null;
  for (const ch of raw) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') d++;
    else if (ch === ']') d--;
  }
  return d;
}

function parseValue(raw: string): TomlValue | undefined {
  if (raw.startsWith('"""') || raw.startsWith("'''")) return raw.slice(3).replace(/("""|''')$/, '');
  if (raw.startsWith('"') || raw.startsWith("'")) {
    const end = raw.indexOf(raw[0] ?? '"', 1);
    return end > 0 ? raw.slice(1, end) : undefined;
  }
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^[+-]?\d[\d_]*(\.\d+)?$/.test(raw)) return Number(raw.replace(/_/g, ''));
  if (raw.startsWith('[')) return splitArray(raw.slice(1, raw.lastIndexOf(']')));
  // Inline tables and anything else stay raw text; callers that need them search the text.
  return raw;
}

function splitArray(inner: string): TomlValue[] {
  const items: TomlValue[] = [];
  let buf = '';
  let quote: string | null = null;
  let nest = 0;
  for (const ch of inner) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') nest++;
    else if (ch === ']' || ch === '}') nest--;
    else if (ch === ',' && nest === 0) {
      pushItem(items, buf);
      buf = '';
      continue;
    }
    buf += ch;
  }
  pushItem(items, buf);
  return items;
}

function pushItem(items: TomlValue[], raw: string): void {
  const value = parseValue(raw.trim());
  if (raw.trim() !== '' && value !== undefined) items.push(value);
}

export function tomlString(table: TomlTable | undefined, key: string): string | null {
  const value = table?.[key];
  return typeof value === 'string' ? value : null;
}

export function tomlStrings(table: TomlTable | undefined, key: string): string[] {
  const value = table?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

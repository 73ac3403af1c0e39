/**
 * YAML-level problems (syntax, duplicate keys) as manifest issues. The yaml library's messages are
 * precise but terse; each known code gets a hint on how to fix it.
 */
import { isMap, isScalar, visit } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import { formatPath } from './issues.js';
import type { ManifestIssue } from './issues.js';
import type { Locator } from './positions.js';

/** Whole messages for the codes operators meet most; others keep the library's text plus a hint. */
const MESSAGES: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'a tab is used for indentation; YAML allows only spaces there',
  BAD_INDENT: 'bad indentation; fields of a section need more spaces than the section, siblings the same',
  MULTILINE_IMPLICIT_KEY: 'a key runs over several lines; check for a missing ":" or an unclosed quote above',
  BLOCK_AS_IMPLICIT_KEY: 'a mapping cannot be used as a key; check for a missing ":" or wrong indentation',
  MULTIPLE_DOCS:
    'the file holds more than one YAML document; an ai-module.yaml holds one, so remove the "---" and what follows',
  BAD_ALIAS: 'an alias (*name) refers to no anchor; define &name before using it',
  BAD_DQ_ESCAPE: 'invalid escape in a double-quoted string; use single quotes for a literal backslash',
};
const HINTS: Readonly<Record<string, string>> = {
  MISSING_CHAR: 'close the quote or bracket opened here',
  UNEXPECTED_TOKEN: 'remove the stray characters or quote the value',
  BAD_SCALAR_START: 'quote the value: some characters cannot start a plain value',
};

export function yamlErrorIssues(doc: Document, locator: Locator): ManifestIssue[] {
  return doc.errors.map((error) => {
    const position = locator.positionOf(errorOffset(doc, error));
    if (error.code === 'DUPLICATE_KEY') {
      const path = duplicatePath(doc, error.pos[0]);
      const key = path.at(-1);
      return {
        code: 'duplicate_key',
        path: formatPath(path),
        ...position,
        message: `"${String(key ?? '')}" appears more than once in the same mapping; keep one (YAML would silently use only one of them)`,
      };
    }
    return { code: 'yaml_syntax', path: '', ...position, message: syntaxMessage(error) };
  });
}

function syntaxMessage(error: YAMLError): string {
  // With prettyErrors off the message has no position suffix; keep only its first line.
  // The library reports an unclosed [ or { as an indentation problem; say what actually happened.
  const flowEnd = /end with an? ([\]}])/.exec(error.message)?.[1];
  if (flowEnd !== undefined) {
    const open = flowEnd === ']' ? '[' : '{';
    return `YAML syntax error: a "${open}" is never closed; add "${flowEnd}" at the end of the value`;
  }
  const whole = MESSAGES[error.code];
  if (whole !== undefined) return `YAML syntax error: ${whole}`;
  if (error.code === 'MISSING_CHAR' && error.message.includes('quote')) {
    return 'YAML syntax error: a quoted string is never closed; add the closing quote';
  }
  const first = (error.message.split('\n')[0] ?? '').replace(/\.$/, '');
  const base = first.charAt(0).toLowerCase() + first.slice(1);
  const hint = HINTS[error.code];
  return `YAML syntax error: ${base}${hint === undefined ? '' : `; ${hint}`}`;
}

/** The field path of the duplicated key that starts at `offset`, found by walking the document. */
function duplicatePath(doc: Document, offset: number): PropertyKey[] {
  let found: PropertyKey[] = [];
  visit(doc, {
    Pair(_key, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      const path: PropertyKey[] = [];
      let child: unknown = pair;
      for (let i = ancestors.length - 1; i >= 0; i--) {
        const node = ancestors[i];
        if (node !== undefined && isMapPair(node, child)) {
          const key = (node as { key: unknown }).key;
          path.unshift(isScalar(key) ? String(key.value) : '?');
        }
        if (node !== undefined && 'items' in node && Array.isArray(node.items) && !isMap(node)) {
          const index = node.items.indexOf(child);
          if (index >= 0) path.unshift(index);
        }
        child = node;
      }
      found = [...path, String(pair.key.value)];
      return visit.BREAK;
    },
  });
  return found;
}

function isMapPair(node: object, child: unknown): boolean {
  return 'key' in node && 'value' in node && (node as { value: unknown }).value === child;
}

/**
 * The library reports an unclosed quote at the end of the file, where it gave up; the operator
 * needs the place where the quote was opened: the last quoted scalar that runs up to the error.
 */
function errorOffset(doc: Document, error: YAMLError): number {
  if (error.code !== 'MISSING_CHAR' || !error.message.includes('quote')) return error.pos[0];
  let start = error.pos[0];
  visit(doc, {
    Scalar(_key, node) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (quoted && node.range !== undefined && node.range !== null && node.range[1] >= error.pos[0] - 1) {
        start = Math.min(start, node.range[0]);
      }
    },
  });
  return start;
}

/** Aliases to anchors that do not exist (the library only notices when converting, by throwing). */
export function unresolvedAliasIssues(doc: Document, locator: Locator): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  visit(doc, {
    Alias(_key, alias) {
      if (alias.resolve(doc) !== undefined) return;
      issues.push({
        code: 'yaml_syntax',
        path: '',
        ...locator.positionOf(alias.range?.[0] ?? 0),
        message: `YAML syntax error: the alias *${alias.source} refers to no anchor; define &${alias.source} on an earlier value`,
      });
    },
  });
  return issues;
}

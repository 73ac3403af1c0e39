import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

/**
 * tree-sitter-bash through web-tree-sitter. Loading the wasm grammar costs tens of milliseconds, so it
 * happens once per process behind a cached promise; a failed load is not cached so a retry can succeed.
 */
let loading: Promise<Parser> | undefined;

async function load(): Promise<Parser> {
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  const language = await Language.load(wasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

export function getParser(): Promise<Parser> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** Parse shell source. The caller must `delete()` the tree when done (wasm memory is not GC'd). */
export async function parseShell(source: string): Promise<Tree> {
  const parser = await getParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** First ERROR or MISSING node, if any: such a parse is never trusted (rule `parse_error`). */
export function findParseError(root: Node): Node | undefined {
  if (!root.hasError) return undefined;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) break;
    if (node.isError || node.isMissing) return node;
    for (const child of node.children) if (child && (child.hasError || child.isMissing)) stack.push(child);
  }
  // hasError without a locatable node still means the parse is untrustworthy.
  return root;
}

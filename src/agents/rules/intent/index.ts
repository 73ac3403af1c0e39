export { parsePrompt } from './parse.js';
export { hasContent } from './text.js';
export type { AppFeature, AuthType, Intent, IntentKind, PlatformWish, StackHint } from './types.js';

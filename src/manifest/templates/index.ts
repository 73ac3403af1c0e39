export { renderManifest } from './render.js';
export type { RenderOptions } from './render.js';
export { templateFor, mergeDraft } from './module-types.js';

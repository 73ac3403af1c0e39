export { shellQuote } from '../core/index.js';

import { MASK } from './text.js';

const VERBS = [
  'serves?',
  'returns?',
  'provides?',
  'exposes?',
  'shows?',
  'displays?',
  'lists?',
  'stores?',
  'saves?',
  'handles?',
  'process(?:es)?',
  'computes?',
  'calculates?',
  'fetch(?:es)?',
  'tracks?',
  'manages?',
  'generates?',
  'sends?',
  'receives?',
  'accepts?',
  'scrapes?',
  'renders?',
  'offers?',
  'supports?',
  'allows?',
  'lets',
  'hosts',
  'streams?',
  'converts?',
  'analy[sz]es?',
  'predicts?',
  'classifies',
  'answers?',
  'responds?',
].join('|');

/**
 * "serves cryptocurrency data", "returns the weather": what the app does. The object runs to the
 * end of the clause (a mask, punctuation or a joining word), so it stays one wish.
 */
export const BEHAVIOUR = new RegExp(
  String.raw`\b(?:${VERBS})\b[^${MASK},;!?]*?(?=\s+(?:with|and|that|which|using|via|behind|while|plus)\b|[${MASK},;!?]|\.(?:\s|$)|$)`,
  'gi',
);

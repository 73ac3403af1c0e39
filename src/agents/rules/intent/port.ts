import type { Matcher } from './types.js';

const read = (m: RegExpExecArray) => ({ kind: 'port' as const, port: Number(m[1]) });
const LEAD = String.raw`(?:(?:on|at|using|use|to|with|via|listen(?:s|ing)?\s+on|bind(?:s|ing)?\s+(?:to|on)|expose[sd]?)\s+)?`;

/**
 * Only a number said to be a port is one: "port 5000", "on :8080", "listening on 8080". A bare
 * number ("5000 users") is not, and is left for the leftover check to report.
 */
export const PORT_MATCHERS: readonly Matcher[] = [
  {
    pattern: new RegExp(
      String.raw`\b${LEAD}(?:the\s+)?(?:tcp\s+|http\s+)?port\s*(?:number\s*)?(?:=|:|of|is|to)?\s*(\d{1,6})\b`,
      'gi',
    ),
    read,
  },
  {
    pattern:
      /\b(?:on|at|listen(?:s|ing)?\s+on|bind(?:s|ing)?\s+(?:to|on))\s+(?:0\.0\.0\.0|localhost|127\.0\.0\.1)?:(\d{1,6})\b/gi,
    read,
  },
  { pattern: /\blisten(?:s|ing)?\s+on\s+(\d{2,6})\b/gi, read },
];

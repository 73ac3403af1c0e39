import type { Matcher } from './types.js';

const PATH = String.raw`(\/[\w\-./]*)`;

export const HEALTH_MATCHERS: readonly Matcher[] = [
  {
    pattern: new RegExp(
      String.raw`\bhealth[- ]?(?:checks?|endpoint|probe|route|url|path)?\s*(?:at|on|is|=|:|via|using|path|endpoint|of)?\s*(?:GET\s+)?${PATH}`,
      'gi',
    ),
    read: (m) => ({ kind: 'health', endpoint: m[1] ?? null }),
  },
  {
    pattern: new RegExp(
      String.raw`\b(?:at|on|use|using)\s+${PATH}\s+(?:for|as)\s+(?:the\s+)?health(?:[- ]?checks?)?\b`,
      'gi',
    ),
    read: (m) => ({ kind: 'health', endpoint: m[1] ?? null }),
  },
  {
    pattern: /\b(?:health[- ]?checks?|health\s+(?:endpoint|probe)|(?:liveness|readiness)\s+probes?)\b/gi,
    read: () => ({ kind: 'health', endpoint: null }),
  },
];

import { AiModuleSchema } from '../../src/manifest/index.js';
import type { AiModule, AiModuleInput } from '../../src/manifest/index.js';
import type { TargetFacts } from '../../src/plan/index.js';

export function moduleOf(overrides: Partial<AiModuleInput> = {}): AiModule {
  return AiModuleSchema.parse({
    name: 'shop',
    version: '1.2.3',
    description: 'A shop',
    module_type: 'web_app',
    build_command: 'npm ci && npm run build',
    start_command: 'npm start',
    ...overrides,
  });
}

export function targetOf(overrides: Partial<TargetFacts> = {}): TargetFacts {
  return {
    name: 'web1',
    root: '/opt/automatos/apps',
    user: 'root',
    isRoot: true,
    hasSystemd: false,
    packageManager: 'apt',
    reach: 'ssh-forward',
    ...overrides,
  };
}

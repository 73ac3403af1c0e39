import type { Fix } from '../../agents/index.js';
import { AutomatosError } from '../../core/index.js';
import { commandWithPort } from '../../detect/index.js';
import { AiModuleSchema } from '../../manifest/index.js';
import type { AiModule } from '../../manifest/index.js';

/** Variables the orchestrator writes itself: a fix changes them through their own fields. */
const RESERVED_ENV = new Set(['PORT']);

function changed(module: AiModule, fix: Fix): unknown {
  switch (fix.kind) {
    case 'set_command':
      return { ...module, [fix.field]: fix.value };
    case 'add_system_dependency':
      return module.system_dependencies.includes(fix.package)
        ? module
        : { ...module, system_dependencies: [...module.system_dependencies, fix.package] };
    case 'set_port':
      // A start command that names the old port itself follows it, as `--port` does for tier 2.
      return {
        ...module,
        port: fix.port,
        start_command: commandWithPort(module.start_command, module.port, fix.port) ?? module.start_command,
      };
    case 'set_env':
      if (RESERVED_ENV.has(fix.name)) {
        throw new AutomatosError(
          'AUT_INVALID_INPUT',
          `the fix sets ${fix.name}, which the orchestrator writes from the manifest; change the port instead`,
          { details: { fix } },
        );
      }
      if (module.secrets.includes(fix.name)) {
        throw new AutomatosError(
          'AUT_INVALID_INPUT',
          `the fix sets ${fix.name}, a secret of ${module.name}; secrets come only from \`automatos secrets set\``,
          { details: { fix: { kind: fix.kind, name: fix.name } } },
        );
      }
      return { ...module, environment_variables: { ...module.environment_variables, [fix.name]: fix.value } };
  }
}

/**
 * The manifest with a diagnoser's fix applied — a new value, the given one untouched — validated
 * again with the manifest's own schema, so a fix can never produce a manifest a user could not
 * have written.
 */
export function applyFix(module: AiModule, fix: Fix): AiModule {
  const result = AiModuleSchema.safeParse(changed(module, fix));
  if (!result.success) {
    throw new AutomatosError(
      'AUT_INVALID_INPUT',
      `the fix (${fix.kind}) gives a manifest that does not validate: ` +
        result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      { details: { fix } },
    );
  }
  return result.data;
}

/** The fix in a few words, for logs and `workflows show`. */
export function describeFix(fix: Fix): string {
  switch (fix.kind) {
    case 'set_command':
      return `${fix.field}: ${fix.value}`;
    case 'add_system_dependency':
      return `system_dependencies += ${fix.package}`;
    case 'set_port':
      return `port: ${fix.port}`;
    case 'set_env':
      return `environment_variables.${fix.name} = ${fix.value}`;
  }
}

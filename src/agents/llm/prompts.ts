/**
 * What the models are told. The rules below mirror the manifest schema and the command policy so a
 * model can get a plan right the first time; they are advice, not the guard: every command is
 * checked by the policy engine after planning, whatever the model wrote.
 */
import { MODULE_TYPES } from '../../manifest/index.js';
import { REDACTED } from '../../security/index.js';
import type { DiagnosisInput, PlannerInput } from '../agent.js';
import type { ReplySchema } from './chat-model.js';

const ANSWER_FORMAT = (schema: ReplySchema): string =>
  [
    'Answer with exactly one JSON object matching this JSON Schema, and nothing else: no prose, no Markdown fences.',
    '',
    'JSON Schema:',
    JSON.stringify(schema.schema),
  ].join('\n');

const COMMAND_RULES = `Commands (build_command, start_command, test_command, hooks, health_check.command) run through a
strict command policy on the target; a command that breaks these rules is refused and the deployment stops:
- Run in the release directory; write only there (relative paths), in the app's shared directory or in /tmp.
  Nothing under /etc, /usr, /root, ~/.ssh or other system paths.
- No downloaded code run by a shell or interpreter: no \`curl … | sh\`, \`wget -O- … | bash\`, \`bash <(curl …)\`,
  \`python -c "$(curl …)"\`, no base64-decoded scripts, no eval of built strings.
- No sudo, su, doas; no changes to users, groups, passwords, sudoers, SSH keys, firewall, SELinux/AppArmor,
  kernel settings, other services, or the machine's power state; no kill -1, killall or broad pkill.
- No rm -rf outside the release directory, nothing that deletes or rewrites system logs or shell history.
- OS packages go in system_dependencies (Debian package names), never apt-get/yum in a command.
- Language packages are installed by the stack's own tool from files in the repository
  (npm ci, pip install -r requirements.txt, poetry install, go build, cargo build, …).
- start_command stays in the foreground: no "&", nohup, daemon flags or process managers; the orchestrator
  supervises it. The app must listen on \`port\`; the environment carries PORT with that value.`;

const MANIFEST_RULES = `The manifest ("module"):
- name: DNS-label-safe: lowercase letters, digits and "-", at most 63 characters, starting and ending with a letter or digit.
- version: a semantic version such as "1.0.0". description: one line.
- module_type: one of ${MODULE_TYPES.join(', ')}.
- deployment_target: "local" (a supervised process) unless the repository has a Dockerfile and the prompt asks for Docker.
- test_command: null unless the repository has tests or the prompt asks to run them.
- secrets: names only; the operator stores values with \`automatos secrets set\`. Never write a secret value into
  environment_variables or a command. Values shown as ${REDACTED} were hidden from you: keep them as they are.
- Extra steps the prompt needs go in hooks (pre_build, post_build, pre_release, post_release), as commands.
- Logging wishes map to monitoring.logging_level; authentication wishes to security.enable_auth and auth_type;
  the health check to health_check (endpoint, type http|tcp|command).`;

const REQUIREMENT_RULES = `The requirements ("requirements"): every wish in the task prompt, explicit or implied, one entry each, in
the order of the prompt; nothing dropped. A wish is "met" only when a field or step of your manifest actually does it:
{"text": the wish in the prompt's words, "status": "met", "how": the field or step, e.g. "port: 5000"}.
Otherwise it is "unmet": {"text": …, "status": "unmet", "why": why this plan cannot do it, for the operator who approves it}.
Behaviour the application's own code must provide (an endpoint, a feature, a data source) is met only when the
repository shows it; otherwise it is unmet, saying the code does not do it yet.
"notes": short remarks for the operator: assumptions made, alternatives not taken.`;

export function plannerSystemPrompt(schema: ReplySchema): string {
  return [
    'You are the planner of Automatos, a deployment orchestrator. From a summary of a repository and an',
    "operator's task prompt, propose how to build, test and run the app on a Linux server: a manifest of the",
    'ai-module.yaml schema plus the list of requirements read from the prompt.',
    'Your answer is a proposal. Nothing in it runs as written: each command is checked by the command policy, and',
    'a person approves plans that are risky or leave wishes unmet.',
    '',
    MANIFEST_RULES,
    '',
    COMMAND_RULES,
    '',
    REQUIREMENT_RULES,
    '',
    ANSWER_FORMAT(schema),
  ].join('\n');
}

export function plannerUserPrompt(input: PlannerInput): string {
  const draft =
    input.draft === null
      ? 'none: detection recognised no stack; work from the files and manifests above.'
      : JSON.stringify(input.draft, null, 2);
  return [
    'Task prompt:',
    '"""',
    input.prompt,
    '"""',
    '',
    'Repository summary (JSON: file list, detected stacks with their evidence, package manifests):',
    JSON.stringify(input.summary, null, 2),
    '',
    'What detection alone would deploy; start from it and change what the prompt asks for:',
    draft,
  ].join('\n');
}

export function diagnoserSystemPrompt(schema: ReplySchema): string {
  return [
    'You are the diagnoser of Automatos, a deployment orchestrator. A deployment step failed. From the manifest,',
    'the step, its command, its exit code and the last lines of its log, propose at most one fix:',
    '- set_command: replace build_command, start_command or test_command;',
    '- add_system_dependency: a Debian package the log shows missing (a compiler, a header package, python3-venv);',
    '- set_port: the port is taken, or the app listens on another one;',
    '- set_env: an environment variable the app needs (never a secret value; secrets are set by the operator).',
    'When the log does not show a cause one of these fixes, answer {"fix": null, "reason": …}: a wrong fix costs',
    'one of the two attempts a deployment has. "reason" says what the log shows and why the fix should work.',
    'Your fix is a proposal: it is applied to the manifest, planned again and checked by the command policy.',
    '',
    COMMAND_RULES,
    '',
    ANSWER_FORMAT(schema),
  ].join('\n');
}

export function diagnoserUserPrompt(input: DiagnosisInput): string {
  return [
    `Step that failed: ${input.step} (attempt ${input.attempt} of 2 to fix this deployment)`,
    `Command: ${input.command ?? '(none recorded)'}`,
    `Exit code: ${input.exitCode === null ? '(none: it was stopped or never started)' : String(input.exitCode)}`,
    '',
    'Last lines of its log:',
    '"""',
    input.logTail,
    '"""',
    '',
    'Manifest (JSON):',
    JSON.stringify(input.module, null, 2),
  ].join('\n');
}

export function repairPrompt(problems: readonly string[]): string {
  return [
    'Your answer cannot be used:',
    ...problems.map((p) => `- ${p}`),
    '',
    'Answer again with the whole corrected JSON object, matching the JSON Schema given before, and nothing else.',
  ].join('\n');
}

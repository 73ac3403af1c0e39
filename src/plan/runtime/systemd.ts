import type { AiModule } from '../../manifest/index.js';
import { systemdHardening } from '../../sandbox/index.js';
import { argv } from '../command.js';
import { appSandbox } from '../sandbox.js';
import { writeFileFromStdin } from '../write-file.js';
import type { AppLayout, PlannedCommand, TargetFacts } from '../types.js';

export const unitName = (app: string): string => `automatos-${app}.service`;

// systemd unquotes like a shell but also expands `%` specifiers and `$` variables: escape all three.
function systemdQuote(text: string): string {
  return `"${text
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replaceAll('%', '%%')
    .replaceAll('$', '$$$$')}"`;
}

export function unitFile(module: AiModule, layout: AppLayout, target: TargetFacts): string {
  const lines = [
    '[Unit]',
    `Description=Automatos app ${module.name} ${module.version}`,
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    // The release itself, not `current`: the hardening hides the app dir around it.
    `WorkingDirectory=${layout.releaseDir}`,
    `EnvironmentFile=${layout.envFile}`,
    `ExecStart=${(target.shell ?? 'bash') === 'bash' ? '/bin/bash --noprofile --norc' : '/bin/sh'} -c ${systemdQuote(module.start_command)}`,
    'Restart=on-failure',
    'RestartSec=2',
    'KillMode=control-group',
    `StandardOutput=append:${layout.logFile}`,
    `StandardError=append:${layout.logFile}`,
  ];
  if (!target.isRoot) lines.push(`User=${target.user}`);
  if ((target.sandbox ?? 'bwrap') !== 'off') {
    const spec = appSandbox(module, layout, target);
    lines.push(...systemdHardening(spec, target.root));
  }
  lines.push('', '[Install]', 'WantedBy=multi-user.target', '');
  return lines.join('\n');
}

export function systemdRestart(module: AiModule, layout: AppLayout, target: TargetFacts): PlannedCommand[] {
  const unit = unitName(module.name);
  return [
    {
      command: writeFileFromStdin(`/etc/systemd/system/${unit}`, '0644', 'runtime.systemd.unit'),
      purpose: `write the unit file ${unit}`,
      stdin: { kind: 'text', content: unitFile(module, layout, target) },
    },
    { command: argv('systemctl', 'daemon-reload'), purpose: 'load the unit file' },
    { command: argv('systemctl', 'enable', unit), purpose: 'start the app at boot' },
    { command: argv('systemctl', 'restart', unit), purpose: 'start the new release' },
  ];
}

// The agents propose; they never execute. Statically: nothing under src/agents/ can reach a process,
// a shell, an SSH connection or the executor, so a plan with `curl … | sh` in it is only ever data.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const AGENTS = resolve(import.meta.dirname, '../../src/agents');

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

describe('src/agents runs nothing', () => {
  it('imports no process, shell, SSH or executor module', () => {
    const offenders = files(AGENTS).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)]
        .map((m) => m[1] ?? '')
        .filter((spec) => /^(node:)?child_process$|^ssh2$|\/exec\/|\/engine\//.test(spec))
        .map((spec) => `${relative(AGENTS, file)} imports ${spec}`),
    );
    expect(files(AGENTS).length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});

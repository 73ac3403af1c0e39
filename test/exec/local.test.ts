import { describe, expect, it } from 'vitest';
import { LocalExecutor } from '../../src/exec/index.js';
import { executorContract } from './executor.contract.js';

executorContract('local', async () => {
  const executor = new LocalExecutor({ killGraceMs: 500 });
  return { executor, dispose: () => executor.close() };
});

describe('LocalExecutor', () => {
  it("starts from a minimal env, not the orchestrator's own", async () => {
    process.env.AUTOMATOS_TEST_LEAK = 'leaked';
    try {
      const result = await new LocalExecutor().run('printf "%s" "${AUTOMATOS_TEST_LEAK:-clean}|$PATH"');
      expect(result.stdoutTail.startsWith('clean|')).toBe(true);
      expect(result.stdoutTail.length).toBeGreaterThan('clean|'.length);
    } finally {
      delete process.env.AUTOMATOS_TEST_LEAK;
    }
  });

  it('names a missing cwd', async () => {
    await expect(new LocalExecutor().run('true', { cwd: '/nonexistent/dir' })).rejects.toMatchObject({
      code: 'AUT_EXEC_SPAWN',
    });
  });

  it('refuses a connection to a closed port as a transient error', async () => {
    await expect(new LocalExecutor().connect('127.0.0.1', 1)).rejects.toMatchObject({
      code: 'AUT_EXEC_CONNECT',
      transient: true,
    });
  });
});

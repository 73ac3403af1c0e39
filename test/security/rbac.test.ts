import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/security/index.js';

describe('authorize', () => {
  it('never lets the agent role approve or reject a parked plan, whatever its grants', () => {
    const agent = { id: 'key:a', role: 'agent' as const, targets: null, grants: ['approve' as const] };
    expect(authorize(agent, 'approve')).toEqual({
      allowed: false,
      reason: 'role agent may never approve or reject a plan',
    });
    expect(authorize(agent, 'deploy')).toEqual({ allowed: true });
  });

  it('lets operators approve on their targets only', () => {
    const operator = { id: 'key:o', role: 'operator' as const, targets: ['web-1'] };
    expect(authorize(operator, 'approve', 'web-1')).toEqual({ allowed: true });
    expect(authorize(operator, 'approve', 'web-2').allowed).toBe(false);
    expect(authorize({ id: 'key:v', role: 'viewer', targets: null }, 'approve').allowed).toBe(false);
  });
});

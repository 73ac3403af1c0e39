import { describe, expect, it } from 'vitest';
import { remoteUntarCommand } from '../../src/exec/index.js';
import { Slots } from '../../src/exec/ssh/slots.js';
import { PgidFilter, remoteKillCommand, wrapCommand } from '../../src/exec/ssh/wrap.js';
import { TailBuffer } from '../../src/exec/tail.js';

describe('remote command text', () => {
  it('unpacks uploads with one exact, policy-checkable command', () => {
    expect(remoteUntarCommand('/opt/automatos/apps/web/releases/r1')).toBe(
      'mkdir -p -- /opt/automatos/apps/web/releases/r1 && tar -x -p -o -f - -C /opt/automatos/apps/web/releases/r1',
    );
    expect(remoteUntarCommand("/tmp/it's here")).toBe(
      `mkdir -p -- '/tmp/it'\\''s here' && tar -x -p -o -f - -C '/tmp/it'\\''s here'`,
    );
  });

  it('kills a process group with TERM then KILL, and never group 0 or 1', () => {
    expect(remoteKillCommand(4242, 300)).toContain('kill -s TERM -- -4242');
    expect(remoteKillCommand(4242, 300)).toContain('kill -s KILL -- -4242');
    expect(() => remoteKillCommand(1, 300)).toThrow(RangeError);
    expect(() => remoteKillCommand(0, 300)).toThrow(RangeError);
    expect(() => remoteKillCommand(-5, 300)).toThrow(RangeError);
  });

  it('carries the command and env as quoted words after the helper variables are gone', () => {
    const text = wrapCommand(`echo "$X"`, { nonce: 'n0', env: { X: "a'b" }, cwd: '/srv' });
    expect(text).toContain(`export X='a'\\''b'`);
    expect(text).toContain(`cd -- /srv || exit 1`);
    expect(text.indexOf('unset _automatos_g')).toBeLessThan(text.indexOf('export X='));
    expect(text.endsWith('exec "$@"')).toBe(true);
  });
});

describe('PgidFilter', () => {
  const run = (chunks: string[]): { pgid: number | undefined; passed: string } => {
    let pgid: number | undefined;
    const passed: Buffer[] = [];
    const filter = new PgidFilter(
      'abc',
      (id) => (pgid = id),
      (chunk) => passed.push(chunk),
    );
    for (const chunk of chunks) filter.write(Buffer.from(chunk));
    filter.flush();
    return { pgid, passed: Buffer.concat(passed).toString() };
  };

  it('strips the marker even when split across chunks', () => {
    expect(run(['\x1eAUTOMATOS-PG', 'ID:abc:12', '34\nerr'])).toEqual({ pgid: 1234, passed: 'err' });
  });

  it('passes rc-file noise before the marker through', () => {
    expect(run(['motd\n\x1eAUTOMATOS-PGID:abc:77\nafter'])).toEqual({ pgid: 77, passed: 'motd\nafter' });
  });

  it('ignores a marker with another nonce (a command cannot forge a pgid)', () => {
    const forged = '\x1eAUTOMATOS-PGID:xyz:1\n';
    expect(run([forged])).toEqual({ pgid: undefined, passed: forged });
  });

  it('rejects pgid 1', () => {
    expect(run(['\x1eAUTOMATOS-PGID:abc:1\n'])).toEqual({ pgid: undefined, passed: '' });
  });
});

describe('TailBuffer', () => {
  it('keeps the last bytes and counts all', () => {
    const tail = new TailBuffer(5);
    for (const piece of ['abc', 'defg', 'h', 'ijklmnopq']) tail.push(Buffer.from(piece));
    expect(tail.text()).toBe('mnopq');
    expect(tail.total).toBe(17);
  });

  it('keeps nothing with a zero limit', () => {
    const tail = new TailBuffer(0);
    tail.push(Buffer.from('abc'));
    expect([tail.text(), tail.total]).toEqual(['', 3]);
  });
});

describe('Slots', () => {
  it('grants in FIFO order beyond the cap and skips cancelled waiters', async () => {
    const slots = new Slots(1);
    const order: string[] = [];
    const first = await slots.acquire().granted;
    const b = slots.acquire();
    const c = slots.acquire();
    const d = slots.acquire();
    void b.granted.then((release) => {
      order.push('b');
      release();
    });
    void d.granted.then((release) => {
      order.push('d');
      release();
    });
    c.cancel();
    first();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['b', 'd']);
    expect([slots.inUse, slots.waiting]).toEqual([0, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import { memoryView } from '../../src/detect/index.js';
import {
  choosePort,
  conventionPort,
  inferPort,
  portFromCommand,
  portsInCode,
} from '../../src/detect/port.js';

describe('portFromCommand', () => {
  it.each([
    ['PORT=4000 node server.js', 4000],
    ['uvicorn main:app --port 9000', 9000],
    ['uvicorn main:app --port=9001', 9001],
    ['gunicorn app:app --bind 0.0.0.0:8080', 8080],
    ['gunicorn app:app -b :8081', 8081],
    ['python manage.py runserver 0.0.0.0:8002', 8002],
    ['streamlit run app.py --server.port 8600', 8600],
    ['python3 -m http.server 8123', 8123],
    ['gunicorn app:app --bind 0.0.0.0:${PORT:-5050}', 5050],
  ])('%s -> %i', (command, port) => {
    expect(portFromCommand(command, 'Procfile:1')).toEqual({
      kind: 'command',
      port,
      source: `Procfile:1: ${command}`,
    });
  });

  it('ignores commands with no literal port', () => {
    expect(portFromCommand('gunicorn app:app --bind 0.0.0.0:$PORT', 'x')).toBeNull();
    expect(portFromCommand('node server.js', 'x')).toBeNull();
    expect(portFromCommand(null, 'x')).toBeNull();
  });
});

describe('portsInCode', () => {
  it('finds literals and env defaults with file:line, skipping comments and tests', () => {
    const view = memoryView({
      'server.js': '// app.listen(1111)\nconst x = 1;\napp.listen(3000);\n',
      'config.js': 'const port = process.env.PORT || 4000;\n',
      'app.py': "import os\nport = int(os.environ.get('PORT', 5000))\napp.run(port=5001)\n",
      'test/server.test.js': 'app.listen(9999);\n',
      'db.js': 'const dbPort = 5432; redis.port = 6379;\n',
    });
    expect(portsInCode(view, { extensions: ['.js', '.py'] })).toEqual([
      { kind: 'env-default', port: 5000, source: "app.py:2: port = int(os.environ.get('PORT', 5000))" },
      { kind: 'code', port: 5001, source: 'app.py:3: app.run(port=5001)' },
      { kind: 'env-default', port: 4000, source: 'config.js:1: const port = process.env.PORT || 4000;' },
      { kind: 'code', port: 3000, source: 'server.js:3: app.listen(3000);' },
    ]);
  });
});

describe('inferPort precedence', () => {
  const view = memoryView({
    'server.js': 'const port = process.env.PORT || 3000;\n',
    '.env': 'NODE_ENV=production\nPORT=4100\n',
    Dockerfile: 'FROM node:20\nEXPOSE 8080\n',
  });

  it('an explicit command beats everything', () => {
    const port = inferPort(view, {
      commands: [{ command: 'PORT=4500 node server.js', origin: 'package.json scripts.start' }],
      extensions: ['.js'],
      convention: { port: 3000, what: 'Express' },
    });
    expect(port).toEqual({ value: 4500, source: 'package.json scripts.start: PORT=4500 node server.js' });
  });

  it('.env beats a code default, which beats EXPOSE and the convention', () => {
    const opts = { commands: [], extensions: ['.js'], convention: { port: 3000, what: 'Express' } };
    expect(inferPort(view, opts)).toEqual({ value: 4100, source: '.env:2: PORT=4100' });
    const noEnv = memoryView({
      'server.js': 'const port = process.env.PORT || 3000;\n',
      Dockerfile: 'EXPOSE 8080\n',
    });
    expect(inferPort(noEnv, opts)?.source).toBe('server.js:1: const port = process.env.PORT || 3000;');
    const onlyDocker = memoryView({ Dockerfile: 'FROM x\nEXPOSE 8080/tcp\n' });
    expect(inferPort(onlyDocker, opts)).toEqual({ value: 8080, source: 'Dockerfile:2: EXPOSE 8080/tcp' });
    expect(inferPort(memoryView({}), opts)).toEqual({
      value: 3000,
      source: 'convention: Express listens on 3000 by default',
    });
  });

  it('a hard-coded literal beats .env (the app ignores the variable)', () => {
    const hard = memoryView({ 'server.js': 'app.listen(3333);\n', '.env': 'PORT=4100\n' });
    expect(inferPort(hard, { commands: [], extensions: ['.js'] })?.value).toBe(3333);
  });

  it('choosePort keeps the first of equal kinds and returns null for nothing', () => {
    expect(choosePort([conventionPort(1, 'a'), conventionPort(2, 'b')])?.value).toBe(1);
    expect(choosePort([null])).toBeNull();
  });
});

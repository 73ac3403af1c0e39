import { test } from 'node:test';
import assert from 'node:assert/strict';
import { server } from './server.js';

test('answers /health with 200', async (t) => {
  await new Promise((resolve) => server.listen(0, resolve));
  t.after(() => server.close());
  const { port } = server.address();
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  assert.equal(res.status, 200);
});

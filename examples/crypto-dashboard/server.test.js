import { test } from 'node:test';
import assert from 'node:assert/strict';
import { server } from './server.js';

test('answers /health', async (t) => {
  await new Promise((resolve) => server.listen(0, resolve));
  t.after(() => server.close());
  const res = await fetch(`http://127.0.0.1:${server.address().port}/health`);
  assert.equal(res.status, 200);
});

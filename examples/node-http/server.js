import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const started = Date.now();

export const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', uptime_ms: Date.now() - started }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`Hello from node-http (${process.env.GREETING ?? 'no greeting set'})\n`);
});

if (process.argv[1] === new URL(import.meta.url).pathname) {
  server.listen(port, () => console.log(`node-http listening on ${port}`));
}

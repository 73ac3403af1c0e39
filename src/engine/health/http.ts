/** The request an http probe sends: no client library, no curl on the target. */
export function httpRequest(host: string, port: number, path: string): string {
  const hostHeader = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return (
    `GET ${path} HTTP/1.1\r\n` +
    `Host: ${hostHeader}\r\n` +
    'User-Agent: automatos-health/1\r\n' +
    'Accept: */*\r\n' +
    'Connection: close\r\n' +
    '\r\n'
  );
}

/** A request target we are willing to send: absolute path, no whitespace or control characters. */
export function isSafePath(path: string): boolean {
  // eslint-disable-next-line no-control-regex
  return path.startsWith('/') && !/[\s\x00-\x1f\x7f]/.test(path);
}

/** `HTTP/1.1 503 Service Unavailable` -> 503; undefined when the line is not a status line. */
export function parseStatusLine(line: string): number | undefined {
  const match = /^HTTP\/\d(?:\.\d)? (\d{3})(?: |$)/.exec(line);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The expected status, or any 2xx/3xx when the manifest names none. */
export function statusMatches(status: number, expected: number | null): boolean {
  return expected === null ? status >= 200 && status < 400 : status === expected;
}

/** The body of a raw response (possibly cut short), de-chunked when the head says it is chunked. */
export function responseBody(response: string): string {
  const at = response.indexOf('\r\n\r\n');
  if (at < 0) return '';
  const head = response.slice(0, at);
  let rest = response.slice(at + 4);
  if (!/^transfer-encoding:[^\r\n]*chunked/im.test(head)) return rest;
  let body = '';
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd < 0) return body;
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!Number.isFinite(size) || size <= 0) return body;
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

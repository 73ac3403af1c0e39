/** One dispatched Server-Sent Events message. `id` is the frame's own id field, or null without one. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Reads a `text/event-stream` body as the HTML spec's parser does for the fields this API sends:
 * `event`, `data` (several lines joined), `id`, `retry`; `:` lines are comments (heartbeats). A
 * message is dispatched at its blank line, so a frame cut off by a dropped connection is never
 * delivered half.
 */
export async function* sseMessages(
  body: AsyncIterable<Buffer | string>,
  onRetry: (ms: number) => void = () => undefined,
): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let id: string | null = null;
  let event = '';
  let data: string[] = [];
  for await (const chunk of body) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      if (line === '') {
        if (data.length > 0) yield { id, event: event === '' ? 'message' : event, data: data.join('\n') };
        id = null;
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) onRetry(Number(value));
    }
  }
}

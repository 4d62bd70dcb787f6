// Reading a Server-Sent Events stream in tests: open it, do something, and collect what arrives until a condition holds.
import { expect } from 'vitest';

export interface SseMessage {
  id: string;
  event: string;
  /** The data field as sent (empty when the message had none). */
  data: string;
}

/**
 * Opens `url` as an event stream, runs `act`, and reads until `until` holds for the messages so far,
 * the stream ends, or `ms` have passed. Also gives the raw text, to check what must never be sent.
 */
export async function readSse(
  url: string,
  opts: {
    headers?: Record<string, string>;
    until: (messages: SseMessage[]) => boolean;
    act: () => Promise<void>;
    ms: number;
  },
): Promise<{ messages: SseMessage[]; text: string; elapsed: number }> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: opts.headers ?? {}, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let text = '';
  let buffer = '';
  const started = Date.now();
  const timer = setTimeout(() => controller.abort(), opts.ms);
  await opts.act();
  try {
    while (!opts.until(messages)) {
      const { value, done } = await reader.read();
      if (done) break;
      const chunk = decoder.decode(value, { stream: true });
      text += chunk;
      buffer += chunk;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = Object.fromEntries(
          block
            .split('\n')
            .filter((l) => !l.startsWith(':') && l.includes(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
        );
        if (fields.event) messages.push({ id: fields.id ?? '', event: fields.event, data: fields.data ?? '' });
        end = buffer.indexOf('\n\n');
      }
    }
  } catch {
    // aborted: the messages so far are the answer
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { messages, text, elapsed: Date.now() - started };
}

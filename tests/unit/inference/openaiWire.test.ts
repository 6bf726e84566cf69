import { describe, expect, it } from 'vitest';
import { backoffDelayMs, retryAfterMs } from '../../../src/main/core/inference/openai/backoff';
import { Semaphore } from '../../../src/main/core/inference/openai/Semaphore';
import { readSseData } from '../../../src/main/core/inference/openai/sse';

const streamOf = (parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    },
  });

async function collect(parts: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const data of readSseData(streamOf(parts))) out.push(data);
  return out;
}

describe('server-sent events', () => {
  it('reassembles events split anywhere, with LF or CRLF, skipping comments, up to [DONE]', async () => {
    const body = ': keep-alive\r\n\r\ndata: {"a":1}\r\n\r\ndata: {"b":\r\ndata: 2}\r\n\r\ndata: [DONE]\r\n\r\ndata: {"after":1}\r\n\r\n';
    const expected = ['{"a":1}', '{"b":\n2}'];
    expect(await collect([body])).toEqual(expected);
    // Every split point, including between "\r" and "\n".
    for (let i = 1; i < body.length; i++) expect(await collect([body.slice(0, i), body.slice(i)])).toEqual(expected);
    expect(await collect(['data: {"é":"ü"}\n\n', 'data: last-without-blank-line'])).toEqual(['{"é":"ü"}', 'last-without-blank-line']);
  });

  it('decodes a UTF-8 character split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: {"t":"€"}\n\n');
    const cut = bytes.indexOf(0xe2) + 1;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, cut));
        c.enqueue(bytes.slice(cut));
        c.close();
      },
    });
    const out: string[] = [];
    for await (const d of readSseData(stream)) out.push(d);
    expect(out).toEqual(['{"t":"€"}']);
  });
});

describe('backoff', () => {
  const options = { baseMs: 100, maxMs: 1000 };

  it('doubles with jitter between half and the full delay, capped', () => {
    expect(backoffDelayMs(1, options, null, () => 0)).toBe(50);
    expect(backoffDelayMs(1, options, null, () => 1)).toBe(100);
    expect(backoffDelayMs(3, options, null, () => 0.5)).toBe(300);
    expect(backoffDelayMs(10, options, null, () => 1)).toBe(1000);
  });

  it("follows the server's Retry-After (seconds, HTTP date or OpenAI's retry-after-ms), within the cap", () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Fri, 27 Nov 2026 12:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(new Headers(), now)).toBeNull();
    expect(backoffDelayMs(1, options, 400)).toBe(400);
    expect(backoffDelayMs(1, options, 60_000)).toBe(1000);
  });
});

describe('Semaphore', () => {
  it('grants in order up to the limit, lets a waiter leave on abort, and follows a raised limit', async () => {
    const s = new Semaphore(1);
    const first = await s.acquire();
    const order: string[] = [];
    const controller = new AbortController();
    const leaving = s.acquire(controller.signal).then(
      () => order.push('aborted waiter got a slot'),
      () => order.push('left'),
    );
    const second = s.acquire().then((release) => (order.push('second'), release));
    controller.abort();
    await leaving;
    first();
    first(); // releasing twice frees one slot only
    const release2 = await second;
    expect(order).toEqual(['left', 'second']);
    let third = false;
    void s.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    s.limit = 2;
    await Promise.resolve();
    expect(third).toBe(true);
    release2();
    expect(() => (s.limit = 0)).toThrow(/positive integer/);
  });
});

/**
 * Reads a server-sent-events body and yields each event's data (multi-line data joined with "\n"), up to the
 * OpenAI end marker `[DONE]`. Comments (":") and other fields are skipped. `onBytes` is called whenever bytes
 * arrive, so an idle timeout can be reset.
 */
export async function* readSseData(body: ReadableStream<Uint8Array>, onBytes: () => void = () => {}): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      onBytes();
      // One line ending from here on; a trailing "\r" may be the first half of "\r\n": it waits for the next chunk.
      buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n|\r(?!$)/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const data = eventData(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (data === null) continue;
        if (data === '[DONE]') return;
        yield data;
      }
    }
    const data = eventData(buffer);
    if (data !== null && data !== '[DONE]') yield data;
  } finally {
    // Breaking out early (a stop string fired, an abort) cancels the body: the server stops generating.
    await reader.cancel().catch(() => {});
  }
}

function eventData(event: string): string | null {
  const lines = event.split(/\r?\n|\r/).filter((l) => l.startsWith('data:'));
  if (lines.length === 0) return null;
  return lines.map((l) => l.slice(5).replace(/^ /, '')).join('\n');
}

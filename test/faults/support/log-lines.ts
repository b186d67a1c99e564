import { Writable } from 'node:stream';

/** A pino destination that keeps every JSON line, to assert what an operator would read. */
export interface LogLines {
  stream: Writable;
  lines(): { level: string; msg: string; [key: string]: unknown }[];
  /** Lines whose message contains `text`. */
  matching(text: string): { level: string; msg: string; [key: string]: unknown }[];
}

export function captureLogLines(): LogLines {
  const kept: { level: string; msg: string }[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      partial += chunk.toString('utf8');
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      for (const line of complete) if (line.trim()) kept.push(JSON.parse(line) as { level: string; msg: string });
      done();
    },
  });
  return {
    stream,
    lines: () => [...kept],
    matching: (text) => kept.filter((line) => line.msg.includes(text)),
  };
}

/** An in-memory text destination for loggers and CLI output in tests. */
export class MemorySink {
  text = '';
  isTTY = false;

  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }

  once(): this {
    return this;
  }

  /** Written lines parsed as JSON records. */
  records(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** An in-memory text destination for loggers and CLI output in tests. */
export class MemorySink {
  /** Everything written, as bytes. */
  bytes = Buffer.alloc(0);
  isTTY = false;

  /** Everything written, decoded as UTF-8. */
  get text(): string {
    return this.bytes.toString('utf8');
  }

  write(chunk: string | Uint8Array): boolean {
    this.bytes = Buffer.concat([
      this.bytes,
      typeof chunk === 'string' ? Buffer.from(chunk) : chunk,
    ]);
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

import t from 'tap';
import { ScrubbingDestination } from '../../src/logger/index.js';
import { Scrubber } from '../../src/redact/index.js';
import { MemorySink } from '../helpers/sink.js';

t.test('the final pass scrubs registered secrets in the serialised line', async (t) => {
  const scrubber = new Scrubber();
  scrubber.addSecret('p@ss"word-with-quote', 'secret');
  const sink = new MemorySink();
  const counter = { dropped: 0 };
  const destination = new ScrubbingDestination(scrubber, sink, counter);
  destination.write(`${JSON.stringify({ msg: 'p@ss"word-with-quote' })}\n`);
  t.equal(sink.text, '{"msg":"[REDACTED:secret]"}\n');
  t.equal(counter.dropped, 0);
});

t.test('a formatter that throws drops the line', async (t) => {
  const sink = new MemorySink();
  const counter = { dropped: 0 };
  const destination = new ScrubbingDestination(new Scrubber(), sink, counter, () => {
    throw new Error('bad');
  });
  destination.write('{"msg":"x"}\n');
  t.equal(sink.text, '');
  t.equal(counter.dropped, 1);
});

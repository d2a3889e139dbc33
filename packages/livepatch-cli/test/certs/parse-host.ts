import t from 'tap';
import { InvalidHostError, parseHost } from '../../src/certs/index.js';

t.test('IP addresses become IP SANs, as given', async (t) => {
  t.strictSame(parseHost('10.1.2.3'), { type: 'ip', value: '10.1.2.3' });
  t.strictSame(parseHost('::1'), { type: 'ip', value: '::1' });
  t.strictSame(parseHost('fd00::a:1'), { type: 'ip', value: 'fd00::a:1' });
});

t.test('names become lower-case DNS SANs without a trailing dot', async (t) => {
  t.strictSame(parseHost('agent'), { type: 'dns', value: 'agent' });
  t.strictSame(parseHost('My-Agent.Example.COM.'), { type: 'dns', value: 'my-agent.example.com' });
  t.strictSame(parseHost('1password.example'), { type: 'dns', value: '1password.example' });
  const longest = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
  t.equal(parseHost(longest).value, longest, '253 characters');
});

t.test('anything else is refused with the reason', async (t) => {
  const cases: [string, RegExp][] = [
    ['', /it is empty/],
    ['.', /it is empty/],
    ['a..b', /it has an empty label/],
    ['.agent', /it has an empty label/],
    ['bad_name', /label "bad_name" must be 1-63 letters, digits or hyphens/],
    ['-agent', /label "-agent"/],
    ['agent-', /label "agent-"/],
    ['*.agent.example', /label "\*"/],
    ['agent:50051', /label "agent:50051"/],
    ['https://agent', /label "https:\/\/agent"/],
    ['ünicode.example', /label "ünicode"/],
    [`${'a'.repeat(64)}.example`, /label "a{64}"/],
    [['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62)].join('.'), /longer than 253/],
    ['10.0.0.300', /last label is numeric/],
    ['[::1]', /label "\[::1\]"/],
  ];
  for (const [host, reason] of cases) {
    const error = t.throws(() => parseHost(host), InvalidHostError, JSON.stringify(host));
    t.match(error, {
      code: 'LIVEPATCH_CERTS_INVALID_HOST',
      exitCode: 2,
      host,
      message: reason,
    });
    t.match(error, {
      message:
        /^Host ".*" is not a valid IP address or DNS name: .*\. Pass an IP address or a name/,
    });
  }
});

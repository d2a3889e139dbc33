import t from 'tap';
import { TOKEN_RULES } from '../../src/redact/token-rules.js';

t.test('every rule is sticky and routed by ASCII prefixes of two or more characters', async (t) => {
  for (const rule of TOKEN_RULES) {
    t.ok(rule.pattern.sticky, `${rule.kind} is sticky`);
    t.notOk(rule.pattern.global, `${rule.kind} is not global`);
    t.ok(rule.prefixes.length > 0, `${rule.kind} has prefixes`);
    for (const prefix of rule.prefixes) {
      t.ok(prefix.length >= 2 && /^[\x21-\x7e]+$/.test(prefix), `${rule.kind}: ${prefix}`);
    }
  }
});

t.test('every repetition in every pattern is bounded', async (t) => {
  for (const rule of TOKEN_RULES) {
    const outsideClasses = rule.pattern.source.replace(/\[(?:\\.|[^\]\\])*\]/g, '[]');
    t.notMatch(outsideClasses, /(?<!\\)[*+]|\{\d+,\}/, rule.kind);
  }
});

t.test('kinds are lowercase and kebab-case', async (t) => {
  for (const rule of TOKEN_RULES) t.match(rule.kind, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
});

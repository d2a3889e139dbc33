import t from 'tap';
import { resolutionPasses } from '../../src/resolve/condition-passes.js';

t.test('import, require and types each get a pass with the shared conditions', async (t) => {
  const passes = resolutionPasses(['import', 'require', 'node', 'default', 'types', 'source']);
  t.strictSame(
    passes.map(({ name, conditionNames }) => [name, conditionNames]),
    [
      ['import', ['node', 'default', 'source', 'import']],
      ['require', ['node', 'default', 'source', 'require']],
      ['types', ['node', 'default', 'source', 'types', 'import']],
    ],
  );
  const types = passes[2];
  t.ok(types !== undefined && types.extensions.indexOf('.d.ts') < types.extensions.indexOf('.js'));
  const runtime = passes[0];
  t.ok(
    runtime !== undefined &&
      runtime.extensions.indexOf('.js') < runtime.extensions.indexOf('.d.ts'),
  );
});

t.test('conditions without import, require or types give one default pass', async (t) => {
  t.strictSame(
    resolutionPasses(['browser', 'default']).map(({ name, conditionNames }) => [
      name,
      conditionNames,
    ]),
    [['default', ['browser', 'default']]],
  );
});

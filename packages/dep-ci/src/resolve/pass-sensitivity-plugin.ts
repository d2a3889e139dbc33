import type { Resolver } from 'enhanced-resolve';

/** A parsed `package.json`, as enhanced-resolve hands it over. */
type Manifest = Readonly<Record<string, unknown>>;

/**
 * enhanced-resolve plugin that notes whether a resolution consulted anything the resolution passes disagree on:
 * an `exports` or `imports` field with conditions (`{"import": …, "require": …}`), or a directory's own
 * `package.json` with a main field that not every pass reads (`module`, `types`). When nothing was, every pass
 * gives the same answer and one is enough.
 *
 * @remarks
 * Resolution is synchronous, so one flag per resolver suffices: reset it, resolve, read it. Whether a field has
 * conditions is worked out once per parsed `package.json` (enhanced-resolve caches those objects): O(size of the
 * field).
 * @see {@link https://nodejs.org/api/packages.html#conditional-exports}
 */
export class PassSensitivityPlugin {
  /** Whether the last resolution consulted a pass-dependent field. */
  touched = false;
  readonly #passDependentMainFields: readonly string[];
  readonly #conditional = new WeakMap<Manifest, Map<string, boolean>>();

  /** Plugin for passes whose main fields differ in `passDependentMainFields` (`['module', 'types']`). */
  constructor(passDependentMainFields: readonly string[]) {
    this.#passDependentMainFields = passDependentMainFields;
  }

  /** Tap the steps that read `exports`, `imports` and main fields, ahead of the plugins that read them. */
  apply(resolver: Resolver): void {
    const options = { name: 'DepCiPassSensitivity', stage: -100 };
    const watchField = (hook: string, field: string): void => {
      resolver.getHook(hook).tapAsync(options, (request, _context, callback) => {
        const manifest = request.descriptionFileData;
        if (manifest !== undefined && this.#hasConditions(manifest, field)) this.touched = true;
        callback();
      });
    };
    watchField('resolve-in-package', 'exports');
    watchField('internal', 'imports');
    resolver.getHook('existing-directory').tapAsync(options, (request, _context, callback) => {
      const manifest = request.descriptionFileData;
      if (
        request.path === request.descriptionFileRoot &&
        manifest !== undefined &&
        this.#passDependentMainFields.some((field) => manifest[field] !== undefined)
      ) {
        this.touched = true;
      }
      callback();
    });
  }

  #hasConditions(manifest: Manifest, field: string): boolean {
    let byField = this.#conditional.get(manifest);
    if (byField === undefined) {
      byField = new Map();
      this.#conditional.set(manifest, byField);
    }
    let conditional = byField.get(field);
    if (conditional === undefined) {
      conditional = hasConditions(manifest[field]);
      byField.set(field, conditional);
    }
    return conditional;
  }
}

/** Whether an `exports`/`imports` value picks targets by condition anywhere (a key not starting with `.`/`#`). */
function hasConditions(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasConditions);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(
    ([key, target]) => (!key.startsWith('.') && !key.startsWith('#')) || hasConditions(target),
  );
}

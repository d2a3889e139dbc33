/**
 * `${env:NAME}` and `${file:PATH}` references inside config strings.
 *
 * @module
 */
import { isAbsolute, resolve } from 'node:path';

/** What {@link interpolate} reads references from. */
export interface InterpolateContext {
  /** Environment variables for `${env:NAME}`. */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative `${file:PATH}` paths are resolved against. */
  baseDir: string;
  /** Reads a whole file as UTF-8. */
  readFile: (path: string) => Promise<string>;
}

/** Result of {@link interpolate}. */
export type InterpolateResult =
  | {
      ok: true;
      /** The string with every reference replaced and every `$${` turned into `${`. */
      value: string;
      /** Whether the string held at least one reference. */
      interpolated: boolean;
      /** Contents read through `${file:…}`, which are always treated as secrets. */
      fileContents: string[];
    }
  | {
      ok: false;
      /** One message per reference that could not be resolved; none of them quotes a resolved value. */
      problems: string[];
    };

/**
 * Replaces `${env:NAME}` and `${file:PATH}` references in `input`; `$${` stands for a literal `${`.
 *
 * @remarks
 * A file's contents lose one trailing newline (`\n` or `\r\n`), so a key saved by an editor can be referenced
 * as-is. References may be the whole value or embedded (`redis://:${env:REDIS_PASSWORD}@host:6379`). Values
 * are substituted once: a reference inside an environment variable's value is not expanded again.
 */
export async function interpolate(
  input: string,
  context: InterpolateContext,
): Promise<InterpolateResult> {
  let value = '';
  let interpolated = false;
  const fileContents: string[] = [];
  const problems: string[] = [];
  let index = 0;
  while (index < input.length) {
    if (input.startsWith('$${', index)) {
      value += '${';
      index += 3;
      continue;
    }
    if (!input.startsWith('${', index)) {
      value += input[index];
      index += 1;
      continue;
    }
    const end = input.indexOf('}', index + 2);
    if (end === -1) {
      problems.push(
        'unterminated "${"; close the reference with "}", or write "$${" for a literal "${"',
      );
      break;
    }
    interpolated = true;
    const reference = input.slice(index + 2, end);
    index = end + 1;
    const colon = reference.indexOf(':');
    const kind = colon === -1 ? '' : reference.slice(0, colon);
    const argument = reference.slice(colon + 1);
    if (kind === 'env' && argument !== '') {
      const resolved = context.env[argument];
      if (resolved === undefined) {
        problems.push(
          `environment variable "${argument}" is not set; set it, or remove the \${env:${argument}} reference`,
        );
      } else {
        value += resolved;
      }
    } else if (kind === 'file' && argument !== '') {
      const path = isAbsolute(argument) ? argument : resolve(context.baseDir, argument);
      try {
        const contents = stripTrailingNewline(await context.readFile(path));
        fileContents.push(contents);
        value += contents;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        problems.push(
          `cannot read "${path}" for \${file:${argument}} (${code}); fix the path (relative paths start at ${context.baseDir}) or the file's permissions`,
        );
      }
    } else {
      problems.push(
        'unsupported reference; write ${env:NAME} or ${file:PATH}, or "$${" for a literal "${"',
      );
    }
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, value, interpolated, fileContents };
}

/** Removes one trailing `\n` or `\r\n`. */
function stripTrailingNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

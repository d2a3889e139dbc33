import { PRIVATE_KEY_KIND, findPrivateKeyBegin, findPrivateKeyEnd } from './find-private-keys.js';
import { formatRedaction } from './format-redaction.js';

/**
 * A line inside an armored key: blank, one base64 token, an OpenPGP checksum (`=AbCd`), or an armor
 * header such as `Proc-Type: 4,ENCRYPTED` or `Version: GnuPG v2`.
 */
const KEY_MATERIAL_LINE =
  /^[ \t]*(?:[A-Za-z0-9+/]+={0,2}|=[A-Za-z0-9+/]{4}|[A-Za-z][A-Za-z-]{0,30}: [^\r\n]*)?[ \t]*$/;

function endsInsideKey(line: string): boolean {
  let from = 0;
  for (;;) {
    const begin = findPrivateKeyBegin(line, from);
    if (begin === -1) return false;
    const end = findPrivateKeyEnd(line, begin);
    if (end === -1) return true;
    from = end;
  }
}

/**
 * Redacts private key blocks that a line-by-line scrubber sees one line at a time.
 *
 * @remarks
 * {@link findPrivateKeys} already redacts a BEGIN line with no END to the end of that line; this
 * remembers that a block is open and replaces each following key-material line (base64, armor
 * headers, checksum; blank lines are kept) by `[REDACTED:private-key]`, up to and including the
 * `-----END … PRIVATE KEY-----` line. A line that is not key material closes the block early and is
 * scrubbed normally, so unrelated output after a truncated key is never swallowed.
 */
export class PrivateKeyLines {
  #inside = false;

  /** Whether a private key block is open (its BEGIN line was seen, its END line not yet). */
  get inside(): boolean {
    return this.#inside;
  }

  /**
   * Scrubs one line (without its line break).
   *
   * @param line - the line
   * @param scrub - the full scrub of a string, used for lines outside key blocks
   * @returns the scrubbed line
   */
  scrubLine(line: string, scrub: (text: string) => string): string {
    if (this.#inside) {
      const end = findPrivateKeyEnd(line, 0);
      if (end !== -1) {
        this.#inside = false;
        return formatRedaction(PRIVATE_KEY_KIND) + this.scrubLine(line.slice(end), scrub);
      }
      if (KEY_MATERIAL_LINE.test(line)) {
        return line.trim() === '' ? line : formatRedaction(PRIVATE_KEY_KIND);
      }
      this.#inside = false;
    }
    const scrubbed = scrub(line);
    this.#inside = line.includes('-----BEGIN') && endsInsideKey(line);
    return scrubbed;
  }
}

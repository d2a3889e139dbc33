/**
 * Passwords in command lines whose flags carry no secret-looking name: `curl -u user:pass`,
 * `mysql -pPASS`, `docker login -p PASS`, `sshpass -p PASS`.
 *
 * @module
 */
import { isRedacted } from './format-redaction.js';
import type { RedactionRanges } from './redaction-ranges.js';

const KIND = 'password';

/**
 * `-u user:pass`, `--user user:pass`, `--proxy-user=user:pass` (curl, wget and friends): group 1 is the
 * password. Bounded repetitions keep a failed attempt short.
 */
const BASIC_AUTH_FLAG =
  /(?:^|[\s"'])(?:-u|--user|--proxy-user)(?:=|[ \t]+)["']?[^\s:"']{1,256}:([^\s"']{1,1024})/g;

/**
 * Commands whose `-p` flag takes a password: attached (`mysql -pPASS`) or as the next word
 * (`docker login -p PASS`, `sshpass -p PASS`).
 */
const PASSWORD_FLAG_COMMANDS =
  /\b(?:(mysql(?:dump|admin|import|show|check|sh)?|mariadb(?:-dump|-admin|-import|-check)?)|((?:docker|podman|buildah|skopeo|nerdctl) login|sshpass))\b/g;

/** `-pPASS` after a MySQL client: group 1 is the password. */
const ATTACHED_P = /[ \t]-p([^\s"']{1,1024})/y;
/** `-p PASS` / `--password PASS` after a login command: group 1 is the password. */
const SPACED_P = /[ \t]-p[ \t]+["']?([^\s"']{1,1024})/y;

/** Records group 1 of a match as a password unless it is already a redaction marker. */
function addGroup(match: RegExpExecArray, ranges: RedactionRanges): void {
  const value = match[1];
  if (value === undefined || isRedacted(value)) return;
  const end = match.index + match[0].length;
  ranges.add(end - value.length, end, KIND);
}

/** Scans the rest of one line, from `from` to `lineEnd`, for `flag`'s matches. */
function scanLine(
  text: string,
  from: number,
  lineEnd: number,
  flag: RegExp,
  ranges: RedactionRanges,
): void {
  for (let pos = from; pos < lineEnd; pos += 1) {
    if (text.charCodeAt(pos + 1) !== 45 /* - */) continue;
    flag.lastIndex = pos;
    const match = flag.exec(text);
    if (match !== null && match.index + match[0].length <= lineEnd) addGroup(match, ranges);
  }
}

/**
 * Adds the password of every command-line credential in `text` to `ranges`.
 *
 * @remarks
 * Basic-auth flags are one global regex. Password flags that only mean a password after certain commands
 * are searched on the rest of the line after the command word; the search then resumes at the next line,
 * so each character is scanned a bounded number of times: O(n).
 *
 * @see {@link https://curl.se/docs/manpage.html#-u | curl -u}
 * @see {@link https://dev.mysql.com/doc/refman/8.0/en/connection-options.html#option_general_password | mysql -p}
 *
 * @param text - the text to search
 * @param ranges - receives each password's span
 */
export function findCliCredentials(text: string, ranges: RedactionRanges): void {
  // `-u`, `--user` and `--proxy-user` all contain "-u"; every password flag contains "-p".
  if (text.indexOf('-u') !== -1) {
    BASIC_AUTH_FLAG.lastIndex = 0;
    for (
      let match = BASIC_AUTH_FLAG.exec(text);
      match !== null;
      match = BASIC_AUTH_FLAG.exec(text)
    ) {
      addGroup(match, ranges);
    }
  }
  if (text.indexOf('-p') === -1) return;
  PASSWORD_FLAG_COMMANDS.lastIndex = 0;
  for (
    let match = PASSWORD_FLAG_COMMANDS.exec(text);
    match !== null;
    match = PASSWORD_FLAG_COMMANDS.exec(text)
  ) {
    const from = match.index + match[0].length;
    const newline = text.indexOf('\n', from);
    const lineEnd = newline === -1 ? text.length : newline;
    scanLine(text, from, lineEnd, match[1] === undefined ? SPACED_P : ATTACHED_P, ranges);
    PASSWORD_FLAG_COMMANDS.lastIndex = lineEnd;
  }
}

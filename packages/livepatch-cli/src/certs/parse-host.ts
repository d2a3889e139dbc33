import { isIP } from 'node:net';
import { InvalidHostError } from './errors.js';

/** A host a server certificate is valid for, as it goes into the subjectAltName extension. */
export type HostName =
  | {
      /** An IP address SAN (`iPAddress`). */
      type: 'ip';
      /** The address as given, IPv4 dotted or IPv6 text. */
      value: string;
    }
  | {
      /** A DNS name SAN (`dNSName`). */
      type: 'dns';
      /** The name, lower-cased, without a trailing dot. */
      value: string;
    };

const MAX_NAME_LENGTH = 253;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Classifies a `--host` value as an IP address or a DNS name and validates it.
 *
 * @remarks
 * DNS names follow the preferred name syntax of RFC 1123 §2.1 that RFC 5280 §4.2.1.6 requires of a
 * `dNSName`: dot-separated labels of 1–63 letters, digits and hyphens, not starting or ending with a
 * hyphen, 253 characters at most. A single trailing dot is dropped. Wildcards, underscores, URLs and ports
 * are refused. IPv6 addresses are given without brackets (`::1`).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.6 | RFC 5280 §4.2.1.6}
 * @throws {@link InvalidHostError} when `host` is neither an IP address nor a valid DNS name
 */
export function parseHost(host: string): HostName {
  if (isIP(host) !== 0) {
    return { type: 'ip', value: host };
  }
  const name = (host.endsWith('.') ? host.slice(0, -1) : host).toLowerCase();
  if (name === '') {
    throw new InvalidHostError(host, 'it is empty');
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidHostError(host, `it is longer than ${MAX_NAME_LENGTH} characters`);
  }
  const labels = name.split('.');
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) {
    throw new InvalidHostError(
      host,
      bad === ''
        ? 'it has an empty label'
        : `label "${bad}" must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen`,
    );
  }
  if (/(?:^|\.)[0-9]+$/.test(name)) {
    // An all-numeric last label is an IP address written wrongly (e.g. "10.0.0.300"), not a name.
    throw new InvalidHostError(
      host,
      'its last label is numeric, so it is not an IP address or name',
    );
  }
  return { type: 'dns', value: name };
}

import { type FieldError, fieldError } from './fieldError.js';
import { isIPAddress } from './ipv4.js';

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Labels that inet_aton (and so every resolver) reads as an IPv4 address: 10.1, 0x7f.1, 3232235777. */
const INET_ATON_PART = /^(0x[0-9a-f]*|[0-9]+)$/i;

/**
 * A DNS name made of LDH labels (letters, digits, inner hyphens; 1-63 each), no trailing dot, and not
 * an address: a resolver reads `192.0.2.5`, `10.1` or any name whose last label is all digits as
 * an IPv4 address (RFC 1123 2.1, RFC 3696 2), never as a name.
 */
export function nameErrors(field: string, name: string, maxLength: number): FieldError[] {
  if (name === '') return [fieldError(field, name, 'must not be empty')];
  if (isIPAddress(name)) return [fieldError(field, name, 'is an IP address, not a name')];
  const labels = name.split('.');
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) {
    return [fieldError(field, name, 'ends in an all-numeric label, so resolvers read it as an IPv4 address, not a name')];
  }
  if (labels.length <= 4 && labels.every((l) => INET_ATON_PART.test(l))) {
    return [fieldError(field, name, 'is read as an IPv4 address by resolvers (inet_aton), not as a name')];
  }
  if (name.length > maxLength) return [fieldError(field, name, `is ${name.length} characters long; at most ${maxLength} are allowed`)];
  if (name.endsWith('.')) return [fieldError(field, name, 'must not end with a dot')];
  if (name.includes('_')) return [fieldError(field, name, 'must not contain an underscore (systemd 241+ rejects it)')];
  for (const label of name.split('.')) {
    if (label === '') return [fieldError(field, name, 'must not contain an empty label (two dots in a row or a leading dot)')];
    if (label.length > 63) return [fieldError(field, name, `has a label of ${label.length} characters; at most 63 are allowed`)];
    if (!LABEL.test(label)) {
      return [fieldError(field, name, `has an invalid label "${label}": use letters, digits and hyphens, not starting or ending with a hyphen`)];
    }
  }
  return [];
}

export function hostnameErrors(name: string, field = 'hostname'): FieldError[] {
  return nameErrors(field, name, 64);
}

/** localhost and localhost.localdomain (any case): names that must stay on the loopback address. */
export function isLocalhostName(name: string): boolean {
  return /^localhost(\.localdomain)?$/i.test(name);
}

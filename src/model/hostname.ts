import { type FieldError, fieldError } from './fieldError.js';

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A DNS name made of LDH labels (letters, digits, inner hyphens; 1-63 each), no trailing dot. */
export function nameErrors(field: string, name: string, maxLength: number): FieldError[] {
  if (name === '') return [fieldError(field, name, 'must not be empty')];
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

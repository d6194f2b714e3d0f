// The extra address "Test network" pings (CLI and console): checked before anything runs.
import { type FieldError, fieldError } from './fieldError.js';
import { nameErrors } from './hostname.js';
import { isIPv4 } from './ipv4.js';

/** An address or name the user typed for the extra ping: never something ping reads as an option. */
export function pingTargetErrors(text: string): FieldError[] {
  if (isIPv4(text)) return [];
  if (/^[0-9.]+$/.test(text)) return [fieldError('ping', text, 'is not a valid IPv4 address')];
  return nameErrors('ping', text, 253);
}

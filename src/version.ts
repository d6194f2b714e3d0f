import { readFileSync } from 'node:fs';

// The bundle defines TTYCONF_VERSION at build time; unbundled runs read package.json.
declare const TTYCONF_VERSION: string | undefined;

export function version(): string {
  if (typeof TTYCONF_VERSION === 'string') return TTYCONF_VERSION;
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

// Where the project is, and its package.json, for every part of the build.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Lowest Node.js major the bundle runs on (package.json "engines"). */
export const NODE_MAJOR = 20;

export function readPackage() {
  return JSON.parse(readFileSync(resolve(projectRoot, 'package.json'), 'utf8'));
}
